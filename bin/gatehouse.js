#!/usr/bin/env node
// Entry point of the published command: runs the compiled CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/app/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('gatehouse: not built yet: run `npm run build` in the checkout first\n');
  process.exit(2);
}
await import(main);
