// File helpers for everything under the Gatehouse home: private modes and atomic replacement.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export async function ensureDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
}

/** A folder only its owner may enter, whether it is new or existed before with wider rights. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await ensureDir(dir);
  const stat = await fs.stat(dir);
  if ((stat.mode & 0o777) !== DIR_MODE && (process.getuid === undefined || stat.uid === process.getuid())) await fs.chmod(dir, DIR_MODE);
}

/**
 * Writes `data` to `file` so that a reader sees either the old or the new content, never a mix:
 * a temp file in the same folder, fsync, rename. With `backup`, the previous content is kept
 * as `<file>.bak` first.
 */
export async function writeFileAtomic(file: string, data: string, opts: { backup?: boolean } = {}): Promise<void> {
  await ensureDir(path.dirname(file));
  if (opts.backup) {
    try {
      await fs.copyFile(file, `${file}.bak`);
      await fs.chmod(`${file}.bak`, FILE_MODE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.open(tmp, 'w', FILE_MODE);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

export async function readJsonFile<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
