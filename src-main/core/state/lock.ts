// One writer at a time for a file several Gatehouse processes on one home share (two clients' `gatehouse
// stdio`, a CLI command beside a running serve): each reads what the one before it left, so none is lost.
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { ensureDir } from './files.js';

/** A lock older than this was left by a process that died; it is taken over. */
const LOCK_STALE_MS = 10_000;

/** The file is locked by another process for longer than a write takes. */
export class FileLockedError extends Error {
  constructor(file: string, cause: unknown) {
    super(`${path.basename(file)} is locked by another Gatehouse process (${cause instanceof Error ? cause.message : String(cause)}); try again in a moment`);
    this.name = 'FileLockedError';
  }
}

/** Runs `fn` holding the lock on `file` (which need not exist yet). */
export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  await ensureDir(path.dirname(file));
  let release: () => Promise<void>;
  try {
    // The file may not exist yet: lock its path, not its real path.
    release = await lockfile.lock(file, { realpath: false, stale: LOCK_STALE_MS, retries: { retries: 100, minTimeout: 10, maxTimeout: 100 } });
  } catch (err) {
    throw new FileLockedError(file, err);
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
