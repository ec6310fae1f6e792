// Log messages from upstream servers reach every connected client; a server that floods them would make
// every client (and Gatehouse) spend its time on them. Each server gets a budget: a burst, then a steady
// rate; what is over it is dropped and counted, and the clients hear how many once the flood has passed.
const BURST = 200;
const PER_SECOND = 100;

interface Bucket {
  tokens: number;
  at: number;
  dropped: number;
}

export class LogLimit {
  private readonly buckets = new Map<string, Bucket>();

  /** Whether a log message from `server` may pass now. */
  admit(server: string, now = Date.now()): boolean {
    const bucket = this.buckets.get(server) ?? { tokens: BURST, at: now, dropped: 0 };
    this.buckets.set(server, bucket);
    bucket.tokens = Math.min(BURST, bucket.tokens + ((now - bucket.at) / 1000) * PER_SECOND);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    bucket.dropped++;
    return false;
  }

  /** How many of `server`'s messages were dropped since the last time this was asked. */
  takeDropped(server: string): number {
    const bucket = this.buckets.get(server);
    if (!bucket) return 0;
    const dropped = bucket.dropped;
    bucket.dropped = 0;
    return dropped;
  }
}
