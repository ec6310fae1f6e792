// The `gatehouse` command's launcher runs the bundle through V8's code cache. A cache compiled from another
// bundle must never run: a `gatehouse serve` started before an upgrade writes its cache when it stops.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from './helpers.js';

let root: string | undefined;
afterEach(() => root && rmSync(root, { recursive: true, force: true }));

/** A checkout of the launcher with a bundle of our own, which prints what its function returns. */
function install(): { run: (args?: string[], upgradeTo?: string) => string; bundle: (word: string) => void } {
  root = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-launcher-'));
  mkdirSync(path.join(root, 'bin'));
  mkdirSync(path.join(root, 'dist', 'app'), { recursive: true });
  const launcher = path.join(root, 'bin', 'gatehouse.cjs');
  copyFileSync(BIN, launcher);
  const main = path.join(root, 'dist', 'app', 'main.cjs');
  return {
    bundle: (word) => writeFileSync(main, source(word)),
    run: (args = [], upgradeTo) => execFileSync(process.execPath, [launcher, ...args], { encoding: 'utf8', env: { ...process.env, UPGRADE: upgradeTo ? source(upgradeTo) : '' } }),
  };
}

/** A bundle that prints `word`; given UPGRADE, it installs that bundle in its own place while it runs. */
function source(word: string): string {
  return `function said() { return '${word}'; }\nprocess.stdout.write(said());\nif (process.env.UPGRADE) require('node:fs').writeFileSync(__filename, process.env.UPGRADE);\n`;
}

describe('the launcher’s code cache', () => {
  it('runs the bundle as it is now after an upgrade that keeps its length', () => {
    const { run, bundle } = install();
    bundle('before');
    expect(run()).toBe('before');
    expect(run()).toBe('before');
    // The same number of characters, as minified names often give: V8 alone would take the old cache.
    bundle('after!');
    expect(run()).toBe('after!');
    expect(run()).toBe('after!');
  });

  it('keeps a long-running command’s cache from becoming the cache of the bundle that replaced it', () => {
    const { run, bundle } = install();
    // An upgrade installs the newer bundle while `serve` runs; `serve` writes its cache as it stops.
    bundle('older');
    expect(run(['serve'], 'newer')).toBe('older');
    expect(run()).toBe('newer');
    expect(run(['serve'])).toBe('newer');
  });
});
