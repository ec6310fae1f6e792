// Owns the write side of the activity database: numbers and chains each record, writes batches in one
// transaction, keeps the chain's head outside the database, applies retention and verifies. Runs in the
// writer thread (writer-thread.ts), so none of this holds the event loop that serves calls.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { GENESIS, hashRecord } from './chain.js';
import { ActivityStore } from './store.js';
import type { ActivityInput, Retention, StoredRecord, VerifyResult } from './types.js';
import { verifyChain, type ChainHead } from './verify.js';

export interface ActivityFiles {
  db: string;
  head: string;
}

export class ChainWriter {
  private readonly store: ActivityStore;
  private seq = 0;
  private hash = GENESIS;

  /** Throws when the database cannot be opened. */
  constructor(private readonly files: ActivityFiles) {
    this.store = new ActivityStore(files.db);
    const last = this.store.last();
    if (last) ({ seq: this.seq, hash: this.hash } = last);
  }

  /** Numbers, chains and writes a batch: all of it is kept, or none (and the chain stays where it was). */
  write(inputs: ActivityInput[]): StoredRecord[] {
    let { seq, hash } = this;
    const stored = inputs.map((input) => {
      const base = { ...input, seq: ++seq, prevHash: hash };
      hash = hashRecord(base);
      return { ...base, hash } as StoredRecord;
    });
    this.store.write(stored);
    this.seq = seq;
    this.hash = hash;
    this.writeHead();
    return stored;
  }

  /** The chain head, outside the database: replaced atomically after each batch. */
  private writeHead(): void {
    try {
      const tmp = `${this.files.head}.tmp`;
      writeFileSync(tmp, JSON.stringify({ seq: this.seq, hash: this.hash }), { mode: 0o600 });
      renameSync(tmp, this.files.head);
    } catch {
      // The database has the records; verify reports a head that fell behind.
    }
  }

  private readHead(): ChainHead | undefined {
    try {
      const head = JSON.parse(readFileSync(this.files.head, 'utf8')) as ChainHead;
      return typeof head.seq === 'number' && typeof head.hash === 'string' ? head : undefined;
    } catch {
      return undefined;
    }
  }

  /** Retention: by age, then count, then size. The first record kept becomes the chain's anchor. */
  prune({ maxAgeDays, maxRecords, maxMB }: Retention): void {
    const before = Date.now() - maxAgeDays * 86_400_000;
    let keep = maxRecords;
    let { deleted, first } = this.store.prune(before, keep);
    // Over the size bound: drop a tenth of what is left until under it.
    for (let i = 0; i < 20 && this.store.sizeBytes() > maxMB * 1024 * 1024 && keep > 1; i++) {
      keep = Math.max(1, Math.floor(Math.min(keep, this.store.count()) * 0.9));
      const more = this.store.prune(before, keep);
      deleted += more.deleted;
      first = more.first;
    }
    // Only what retention itself deleted moves the start of the chain: a record deleted by hand does not.
    if (deleted && first) this.store.setMeta('anchor', JSON.stringify({ seq: first.seq, prevHash: first.prevHash }));
  }

  verify(): VerifyResult {
    const anchor = this.store.meta('anchor');
    return verifyChain(this.store.all(), anchor ? (JSON.parse(anchor) as { seq: number; prevHash: string }) : undefined, this.readHead());
  }

  close(): void {
    this.store.close();
  }
}
