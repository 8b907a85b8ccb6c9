#!/usr/bin/env node
// The launcher: the package ships as TypeScript source, run through tsx (as drumbeat-verify is).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
