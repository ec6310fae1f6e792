#!/usr/bin/env node
// Entry point of the `gatehouse` command: runs the bundled CLI through V8's code cache, so a start
// skips compiling what an earlier run already compiled. The cache sits beside the bundle, written after
// a run when it is missing or stale (and after every long-running serve/stdio, which compiles the most);
// where that folder is not writable, Gatehouse simply runs without it.
'use strict';
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire, Module } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const dir = path.join(__dirname, '..', 'dist', 'app');
const bundle = path.join(dir, 'main.cjs');
if (!existsSync(bundle)) {
  process.stderr.write('gatehouse: not built yet: run `npm run build` in the checkout first\n');
  process.exit(2);
}
const cacheFile = `${bundle}.v8-cache`;
const source = readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
const longRunning = process.argv[2] === 'serve' || process.argv[2] === 'stdio';
if (!cachedData || script.cachedDataRejected || longRunning) {
  process.once('exit', () => {
    try {
      const tmp = `${cacheFile}.${process.pid}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      // a read-only install: no cache
    }
  });
}
const mod = { exports: {} };
script.runInThisContext()(mod.exports, createRequire(bundle), mod, bundle, dir);
