#!/usr/bin/env node
// The CLI's launcher: the client ships as TypeScript source, run through tsx (as `npm start` runs the server).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/verify-cli.ts');
process.exitCode = await main(process.argv.slice(2));
