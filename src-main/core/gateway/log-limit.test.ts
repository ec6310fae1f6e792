import { describe, expect, it } from 'vitest';
import { LogLimit } from './log-limit.js';

describe('LogLimit', () => {
  it('passes a burst, then a steady rate, per server, and counts what it drops', () => {
    const limit = new LogLimit();
    const now = 1_000_000;
    let passed = 0;
    for (let i = 0; i < 1000; i++) if (limit.admit('noisy', now)) passed++;
    expect(passed).toBe(200);
    expect(limit.admit('quiet', now)).toBe(true); // another server has its own budget
    expect(limit.takeDropped('noisy')).toBe(800);
    expect(limit.takeDropped('noisy')).toBe(0);
    // A second later, a second's worth passes again.
    let later = 0;
    for (let i = 0; i < 1000; i++) if (limit.admit('noisy', now + 1000)) later++;
    expect(later).toBe(100);
  });
});
