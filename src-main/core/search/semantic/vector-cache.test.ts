import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VectorCache, vectorKey } from './vector-cache.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function cacheFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-vectors-'));
  dirs.push(dir);
  return path.join(dir, 'search', 'model.vectors');
}

const vector = (...values: number[]) => Float32Array.from(values);

describe('VectorCache', () => {
  it('gives back after a restart what it was given', () => {
    const file = cacheFile();
    const cache = new VectorCache(file, 3);
    cache.add([[vectorKey('read a file'), vector(1, 0, 0)]]);
    cache.add([[vectorKey('write a file'), vector(0, 1, 0)]]);
    const again = new VectorCache(file, 3);
    again.load();
    expect(again.size).toBe(2);
    expect([...again.get(vectorKey('write a file'))!]).toEqual([0, 1, 0]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('ignores a torn last record and a file made for other dimensions', () => {
    const file = cacheFile();
    new VectorCache(file, 2).add([[vectorKey('a'), vector(1, 2)]]);
    appendFileSync(file, Buffer.alloc(10, 7));
    const torn = new VectorCache(file, 2);
    torn.load();
    expect(torn.size).toBe(1);
    const other = new VectorCache(file, 4);
    other.load();
    expect(other.size).toBe(0);
    writeFileSync(file, 'not a vector file');
    const foreign = new VectorCache(file, 2);
    foreign.load();
    expect(foreign.size).toBe(0);
  });

  it('rewrites the file without stale vectors once they are most of it', () => {
    const file = cacheFile();
    const cache = new VectorCache(file, 1);
    const entries = Array.from({ length: 1200 }, (_, i) => [vectorKey(`tool ${i}`), vector(i)] as [string, Float32Array]);
    cache.add(entries);
    const live = new Set(entries.slice(0, 100).map(([k]) => k));
    cache.prune(live);
    expect(readFileSync(file).length).toBe(8 + 100 * (32 + 4));
    const again = new VectorCache(file, 1);
    again.load();
    expect(again.size).toBe(100);
  });
});
