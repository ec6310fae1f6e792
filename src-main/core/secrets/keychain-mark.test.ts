import { describe, expect, it } from 'vitest';
import { KeychainMark } from './keychain-mark.js';
import { MemorySecretStore } from './store.js';

/** A store that counts its writes. */
class CountingStore extends MemorySecretStore {
  writes = 0;
  override async set(name: string, value: string) {
    this.writes++;
    await super.set(name, value);
  }
}

describe('KeychainMark', () => {
  it('under figures raised many times a second, writes once a gap; a stop writes the last at once', async () => {
    const store = new CountingStore();
    const mark = new KeychainMark(store, 'activity-home', 60_000);
    for (let seq = 1; seq <= 200; seq++) {
      mark.raise(seq);
      if (seq % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // The first write goes at once (with what was raised before it could start); the rest wait out the gap, folded into one.
    expect([store.writes, await store.get('activity-home')]).toEqual([1, '20']);
    const started = Date.now();
    await mark.settled();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect([store.writes, await store.get('activity-home')]).toEqual([2, '200']);
    // Once stopping, every figure goes at once.
    mark.raise(201);
    await mark.settled();
    expect(await store.get('activity-home')).toBe('201');
  });

  it('without a gap, writes each figure the keychain has time for', async () => {
    const store = new CountingStore();
    const mark = new KeychainMark(store, 'trust-home');
    mark.raise(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    mark.raise(2);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect([store.writes, await store.get('trust-home')]).toEqual([2, '2']);
  });
});
