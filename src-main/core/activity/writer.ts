// Where the log's writes run: in a thread of their own (writer-thread.js), so writing, hashing and
// indexing never hold the event loop that serves calls; inline only when this build has no thread script.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { findPackageFile } from '../resources/index.js';
import { ChainWriter, type ActivityFiles } from './chain-writer.js';
import type { ActivityInput, Retention, StoredRecord, VerifyResult } from './types.js';

export type ToWriter =
  | { id: number; type: 'write'; records: ActivityInput[] }
  | { id: number; type: 'prune'; retention: Retention }
  | { id: number; type: 'verify' }
  | { id: number; type: 'close' };

type Message = ToWriter extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

type FromWriter = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

export interface Writer {
  write(records: ActivityInput[]): Promise<StoredRecord[]>;
  prune(retention: Retention): Promise<void>;
  verify(): Promise<VerifyResult>;
  close(): Promise<void>;
}

function threadScript(): string | undefined {
  const beside = fileURLToPath(new URL('./writer-thread.js', import.meta.url));
  if (existsSync(beside)) return beside;
  // Running from the TypeScript sources (tests): the compiled thread script.
  return findPackageFile('dist/src-main/core/activity/writer-thread.js');
}

class ThreadWriter implements Writer {
  private readonly worker: Worker;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(script: string, files: ActivityFiles) {
    this.worker = new Worker(script, { workerData: files });
    this.worker.unref();
    this.worker.on('message', (m: FromWriter) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.message));
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', () => this.failAll(new Error('the activity writer stopped')));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private ask<T>(message: Message): Promise<T> {
    const id = ++this.next;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  write = (records: ActivityInput[]) => this.ask<StoredRecord[]>({ type: 'write', records });
  prune = (retention: Retention) => this.ask<void>({ type: 'prune', retention });
  verify = () => this.ask<VerifyResult>({ type: 'verify' });
  close = async () => {
    await this.ask<void>({ type: 'close' }).catch(() => undefined);
  };
}

class InlineWriter implements Writer {
  constructor(private readonly writer: ChainWriter) {}
  write = async (records: ActivityInput[]) => this.writer.write(records);
  prune = async (retention: Retention) => this.writer.prune(retention);
  verify = async () => this.writer.verify();
  close = async () => this.writer.close();
}

/** A writer for these files; throws (inline only) when the database cannot be opened. */
export function openWriter(files: ActivityFiles): Writer {
  const script = threadScript();
  return script ? new ThreadWriter(script, files) : new InlineWriter(new ChainWriter(files));
}
