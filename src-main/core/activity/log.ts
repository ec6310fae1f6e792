// The activity log: records are queued and handed in batches to the writer thread, off the call path;
// each is numbered and chained to the one before there. Reads (filters, full text, statistics) use a
// connection of their own. When the disk is full or the database locked, records wait in memory (up to a
// bound) and a warning is given once; calls never fail or wait for it.
import { EventEmitter } from 'node:events';
import type { KeychainMark } from '../secrets/index.js';
import type { ActivityFiles } from './chain-writer.js';
import { ActivityStore } from './store.js';
import { DEFAULT_RETENTION, type ActivityFilter, type ActivityInput, type Retention, type StoredRecord, type ToolStats, type VerifyResult } from './types.js';
import { openWriter, type Writer } from './writer.js';
import { counted } from '../../../src-shared/counted.js';

const FLUSH_MS = 50;
const BATCH = 2000;
const MAX_WAITING = 100_000;
const RETRY_MS = 2000;
const PRUNE_EVERY = 5000;

export interface ActivityLogEvents {
  recorded: [records: StoredRecord[]];
  warning: [message: string];
  /** Records at the end of the log were deleted outside Gatehouse while it was stopped (found at start). */
  cut: [message: string];
}

export class ActivityLog extends EventEmitter<ActivityLogEvents> {
  private writer: Writer | undefined;
  private reader: ActivityStore | undefined;
  private waiting: ActivityInput[] = [];
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private dropped = 0;
  private warned = false;
  private sincePrune = 0;
  private closed = false;
  /** How far the log had got, as the keychain keeps it (see `keepMark`). */
  private mark: KeychainMark | undefined;
  /** What was missing at the end of the log at start, by the keychain's mark; undefined when nothing. */
  private cutAtStart: Promise<string | undefined> = Promise.resolve(undefined);

  constructor(
    private readonly files: ActivityFiles,
    private readonly retention: () => Retention = () => DEFAULT_RETENTION,
  ) {
    super();
  }

  /**
   * Keeps the last record's number in the keychain as records are written, so that a log emptied or cut
   * short outside Gatehouse (by a file-writing tool an agent uses) is told at the next start and by
   * `verify`. Before `open`.
   */
  keepMark(mark: KeychainMark): void {
    this.mark = mark;
    mark.open();
    this.cutAtStart = mark.atStart().then(async (kept) => {
      if (this.closed) return undefined;
      await this.flush();
      const last = this.read()?.last()?.seq ?? 0;
      if (!kept || last >= kept) return undefined;
      const cut = `records ${last + 1}–${kept} at the end of the activity log were deleted outside Gatehouse (the keychain holds that it had written ${kept})`;
      // Kept in the log itself, which goes on from what is left: its record is the notice the window, the
      // desktop app and `serve` tell; `cut` is for a surface that tells no notices.
      this.emit('cut', cut);
      this.record({ at: Date.now(), kind: 'admin', actor: 'gatehouse', status: 'cut', detail: cut });
      return cut;
    });
  }

  /** Starts the writer; when the database cannot be opened, the log warns and keeps trying. */
  open(): void {
    // A flush that comes after close (the keychain's mark read late) must not start a thread nobody stops.
    if (this.writer || this.closed) return;
    try {
      this.writer = openWriter(this.files);
      void this.writer.prune(this.retention()).catch(() => undefined);
    } catch (err) {
      this.warn(`The activity log cannot be opened (${(err as Error).message}); records wait in memory`);
    }
  }

  /** Queues a record; it is written within a moment. Never throws, never waits. */
  record(input: ActivityInput): void {
    if (this.closed) return;
    if (this.waiting.length >= MAX_WAITING) {
      this.waiting.shift();
      this.dropped++;
    }
    this.waiting.push(input);
    this.schedule(this.waiting.length >= BATCH ? 0 : FLUSH_MS);
  }

  private schedule(ms: number): void {
    if (this.writing || (this.timer && ms > 0)) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
    this.timer.unref?.();
  }

  /** Writes everything that waits; resolves once it is committed (or could not be, for now). */
  flush(): Promise<void> {
    this.writing ??= this.pump().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  private async pump(): Promise<void> {
    if (!this.writer) this.open();
    while (this.waiting.length && this.writer) {
      const batch = this.waiting.slice(0, BATCH);
      const note = this.dropped
        ? [{ at: Date.now(), kind: 'admin' as const, actor: 'gatehouse' as const, status: 'dropped', detail: `${counted(this.dropped, 'record')} ${this.dropped === 1 ? 'was' : 'were'} dropped while the activity log could not be written` }]
        : [];
      let stored: StoredRecord[];
      try {
        stored = await this.writer.write([...note, ...batch]);
      } catch (err) {
        this.warn(`Activity records could not be written (${(err as Error).message}); they wait in memory and are retried`);
        // The next try starts a fresh writer: one that stopped, or never opened, does not come back by itself.
        void this.writer.close();
        this.writer = undefined;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.flush();
        }, RETRY_MS);
        this.timer.unref?.();
        return;
      }
      this.waiting.splice(0, batch.length);
      this.dropped = 0;
      if (this.warned) {
        this.warned = false;
        this.emit('warning', 'The activity log is written again');
      }
      this.emit('recorded', stored);
      if (stored.length) this.mark?.raise(stored[stored.length - 1]!.seq);
      this.sincePrune += stored.length;
      if (this.sincePrune >= PRUNE_EVERY) {
        this.sincePrune = 0;
        await this.writer.prune(this.retention()).catch(() => undefined);
      }
    }
  }

  /** Records waiting to be written. */
  get backlog(): number {
    return this.waiting.length;
  }

  private warn(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.emit('warning', message);
  }

  /** Applies retention now (it also runs on open and every few thousand records). */
  async prune(): Promise<void> {
    await this.flush();
    await this.writer?.prune(this.retention());
  }

  private read(): ActivityStore | undefined {
    try {
      this.reader ??= new ActivityStore(this.files.db);
    } catch {
      return undefined;
    }
    return this.reader;
  }

  async query(filter: ActivityFilter): Promise<StoredRecord[]> {
    await this.flush();
    return this.read()?.query(filter) ?? [];
  }

  async stats(filter: { server?: string; since?: number }): Promise<ToolStats[]> {
    await this.flush();
    return this.read()?.stats(filter) ?? [];
  }

  /** Walks the whole chain (in the writer thread): every edited, deleted or reordered record is named. */
  async verify(): Promise<VerifyResult> {
    await this.flush();
    if (!this.writer) return { ok: false, checked: 0, problems: [{ seq: 0, problem: 'the activity log cannot be opened' }] };
    const cut = await this.cutAtStart;
    await this.flush();
    const result = await this.writer.verify();
    return cut ? { ...result, ok: false, problems: [{ seq: 0, problem: cut }, ...result.problems] } : result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.timer);
    await this.flush();
    this.closed = true;
    await this.mark?.settled();
    this.reader?.close();
    await this.writer?.close();
    this.writer = undefined;
  }
}
