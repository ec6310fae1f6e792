#!/usr/bin/env node
// Entry point of the `gatehouse` command: runs the bundled CLI through V8's code cache, so a start
// skips compiling what an earlier run already compiled. The cache sits beside the bundle, written after
// a run when it is missing or stale (and after every long-running serve/stdio, which compiles the most);
// where that folder is not writable, Gatehouse simply runs without it. The cache opens with the hash of
// the bundle it was compiled from: V8 checks only the source's length, and a rebuilt bundle often keeps
// it (minified names change, not their lengths), so an old cache would run the old code in the new file.
'use strict';
const { createHash } = require('node:crypto');
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
const bytes = readFileSync(bundle);
const source = bytes.toString('utf8').replace(/^#!.*/, '');
const hash = createHash('sha256').update(bytes).digest();
let cachedData;
try {
  const cache = readFileSync(cacheFile);
  cachedData = cache.subarray(0, hash.length).equals(hash) ? cache.subarray(hash.length) : undefined;
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
const longRunning = process.argv[2] === 'serve' || process.argv[2] === 'stdio';
if (!cachedData || script.cachedDataRejected || longRunning) {
  process.once('exit', () => {
    try {
      const tmp = `${cacheFile}.${process.pid}`;
      writeFileSync(tmp, Buffer.concat([hash, script.createCachedData()]));
      renameSync(tmp, cacheFile);
    } catch {
      // a read-only install: no cache
    }
  });
}
const mod = { exports: {} };
script.runInThisContext()(mod.exports, createRequire(bundle), mod, bundle, dir);
