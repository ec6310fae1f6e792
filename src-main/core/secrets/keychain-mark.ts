// A number the OS keychain keeps for one home: how far a file of Gatehouse's had got (the generation of
// trust.json, the last record of the activity log). A tool that can only write files can put back an old
// copy of the file, or empty it, but cannot lower this number: the next start tells the file is behind.
import type { SecretStore } from './store.js';

export class KeychainMark {
  private atStartRead: Promise<number | undefined> = Promise.resolve(undefined);
  private pending: number | undefined;
  private writing: Promise<void> = Promise.resolve();

  /** `store`: the keychain, or undefined when the user's secrets are not kept there (nothing is then kept). */
  constructor(
    private readonly store: SecretStore | undefined,
    private readonly account: string,
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
      const next = this.pending!;
      this.pending = undefined;
      await this.store!.set(this.account, String(next)).catch(() => undefined);
    });
  }

  /**
   * Resolves once every figure raised so far is in the keychain (or could not be put there), or after
   * `waitMs`: a keychain that waits on a prompt does not hold up a stop.
   */
  async settled(waitMs = 3_000): Promise<void> {
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
