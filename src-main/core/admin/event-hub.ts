// Fans admin events out to subscribers. Each subscriber has a bounded queue: one that falls behind is
// dropped with a notice rather than ever making the core wait.
import type { ApiEvent } from '../../../src-shared/api/index.js';

export interface Subscriber {
  /** Delivers one event; returns false when the subscriber cannot take more right now. */
  deliver(event: ApiEvent): boolean;
  /** Called once when the hub drops the subscriber (with the reason) or it unsubscribes. */
  close(reason?: string): void;
  /** Resumes a subscriber that reported it was full: calls `drain` once it can take more. */
  onDrain?(drain: () => void): void;
}

const MAX_QUEUE = 1000;

export class EventHub {
  private readonly subscribers = new Map<Subscriber, { queue: ApiEvent[]; waiting: boolean }>();

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.set(subscriber, { queue: [], waiting: false });
    return () => {
      if (this.subscribers.delete(subscriber)) subscriber.close();
    };
  }

  get size(): number {
    return this.subscribers.size;
  }

  publish(event: ApiEvent): void {
    for (const [subscriber, state] of this.subscribers) {
      if (state.waiting) {
        state.queue.push(event);
        if (state.queue.length > MAX_QUEUE) this.drop(subscriber, `dropped: more than ${MAX_QUEUE} events were waiting; subscribe again`);
        continue;
      }
      if (!subscriber.deliver(event)) this.wait(subscriber, state);
    }
  }

  private wait(subscriber: Subscriber, state: { queue: ApiEvent[]; waiting: boolean }): void {
    state.waiting = true;
    subscriber.onDrain?.(() => {
      state.waiting = false;
      while (state.queue.length && !state.waiting) {
        if (!subscriber.deliver(state.queue.shift()!)) this.wait(subscriber, state);
      }
    });
  }

  private drop(subscriber: Subscriber, reason: string): void {
    this.subscribers.delete(subscriber);
    subscriber.deliver({ type: 'notice', payload: { message: reason } });
    subscriber.close(reason);
  }

  closeAll(): void {
    for (const subscriber of this.subscribers.keys()) subscriber.close('Gatehouse is stopping');
    this.subscribers.clear();
  }
}
