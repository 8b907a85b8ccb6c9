#!/usr/bin/env node
// drumbeat-verify's launcher. Installed from the registry or a tarball, it runs the built CLI (dist/);
// inside the drumbeat repository (src/ beside it, no build step) it runs the TypeScript source through tsx.
import { existsSync } from 'node:fs';

const source = new URL('../src/verify-cli.ts', import.meta.url);
let cli;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else {
  cli = await import('../dist/verify-cli.js');
}
process.exitCode = await cli.main(process.argv.slice(2));
