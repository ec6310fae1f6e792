// A number the OS keychain keeps for one home: how far a file of Gatehouse's had got (the generation of
// trust.json, the last record of the activity log). A tool that can only write files can put back an old
// copy of the file, or empty it, but cannot lower this number: the next start tells the file is behind.
import type { SecretStore } from './store.js';

export class KeychainMark {
  private atStartRead: Promise<number | undefined> = Promise.resolve(undefined);
  private pending: number | undefined;
  private writing: Promise<void> = Promise.resolve();
  private lastWrite = 0;
  /** Ends a wait between two writes at once (a stop is under way). */
  private hurry: (() => void) | undefined;
  private draining = false;

  /**
   * `store`: the keychain, or undefined when the user's secrets are not kept there (nothing is then kept).
   * `gapMs`: the least time between two writes, so that a figure raised many times a second (every batch
   * of activity records) costs the keychain one write a gap, not one a batch; a stop writes the last at once.
   */
  constructor(
    private readonly store: SecretStore | undefined,
    private readonly account: string,
    private readonly gapMs = 0,
  ) {}

  /**
   * Starts reading the figure the keychain holds. Bounded: a keychain that waits on a prompt (a locked
   * login keyring) does not hold up a start.
   */
  open(waitMs = 3_000): void {
    if (!this.store) return;
    const read = this.store.get(this.account).then(parseMark, () => undefined);
    this.atStartRead = Promise.race([read, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), waitMs).unref())]);
  }

  /** The figure the keychain held at start; undefined without a keychain, or before any was kept there. */
  atStart(): Promise<number | undefined> {
    return this.atStartRead;
  }

  /**
   * Gives the keychain a new figure, off the caller's path: figures that come faster than the keychain
   * answers are folded into the highest. An unreachable keychain only leaves an older figure.
   */
  raise(figure: number): void {
    if (!this.store) return;
    const idle = this.pending === undefined;
    this.pending = Math.max(figure, this.pending ?? 0);
    if (!idle) return;
    this.writing = this.writing.then(async () => {
      const wait = this.lastWrite + this.gapMs - Date.now();
      if (wait > 0 && !this.draining) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          timer.unref();
          this.hurry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.hurry = undefined;
      }
      const next = this.pending!;
      this.pending = undefined;
      this.lastWrite = Date.now();
      await this.store!.set(this.account, String(next)).catch(() => undefined);
    });
  }

  /**
   * Writes what waits without waiting out the gap, and from now on every figure at once (a stop is under
   * way). Resolves once every figure raised so far is in the keychain (or could not be put there), or after
   * `waitMs`: a keychain that waits on a prompt does not hold up a stop.
   */
  async settled(waitMs = 3_000): Promise<void> {
    this.draining = true;
    this.hurry?.();
    const all = (async () => {
      while (this.pending !== undefined) await this.writing;
      await this.writing;
    })();
    await Promise.race([all, new Promise<void>((resolve) => setTimeout(resolve, waitMs).unref())]);
  }
}

function parseMark(text: string | undefined): number | undefined {
  const n = Number(text);
  return text && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
