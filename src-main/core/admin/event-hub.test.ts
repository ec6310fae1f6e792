import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../src-shared/api/index.js';
import { EventHub } from './event-hub.js';

const event = (n: number): ApiEvent => ({ type: 'progress', payload: { operation: 'test', id: 'x', done: n, total: 5000 } });

describe('EventHub', () => {
  it('delivers to every subscriber in order', () => {
    const hub = new EventHub();
    const a: number[] = [];
    const b: number[] = [];
    hub.subscribe({ deliver: (e) => (a.push((e.payload as { done: number }).done), true), close: () => undefined });
    hub.subscribe({ deliver: (e) => (b.push((e.payload as { done: number }).done), true), close: () => undefined });
    for (let i = 0; i < 3; i++) hub.publish(event(i));
    expect(a).toEqual([0, 1, 2]);
    expect(b).toEqual([0, 1, 2]);
  });

  it('drops a subscriber that falls behind, with a notice, and keeps serving the others', () => {
    const hub = new EventHub();
    const slow: ApiEvent[] = [];
    let closedWith: string | undefined;
    hub.subscribe({ deliver: (e) => (slow.push(e), false), onDrain: () => undefined, close: (reason) => (closedWith = reason) });
    let fast = 0;
    hub.subscribe({ deliver: () => (fast++, true), close: () => undefined });
    const started = performance.now();
    for (let i = 0; i < 5000; i++) hub.publish(event(i));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(fast).toBe(5000);
    expect(hub.size).toBe(1);
    expect(closedWith).toMatch(/dropped/);
    expect(slow.at(-1)).toMatchObject({ type: 'notice' });
  });

  it('resumes a subscriber that catches up before its queue overflows', () => {
    const hub = new EventHub();
    const got: number[] = [];
    let full = true;
    let drain: (() => void) | undefined;
    hub.subscribe({
      deliver: (e) => {
        got.push((e.payload as { done: number }).done);
        return !full;
      },
      onDrain: (d) => (drain = d),
      close: () => undefined,
    });
    for (let i = 0; i < 10; i++) hub.publish(event(i));
    expect(got).toEqual([0]);
    full = false;
    drain!();
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
