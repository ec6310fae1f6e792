// Bearer tokens (the gateway's, the admin API's): from an environment variable if set, else generated
// on first run and kept (0600) in Gatehouse's state folder.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../state/index.js';

export async function loadOrCreateToken(file: string, env: NodeJS.ProcessEnv, variable: string): Promise<string> {
  if (env[variable]) return env[variable]!;
  try {
    const saved = (await fs.readFile(file, 'utf8')).trim();
    if (saved) return saved;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = `gh_${randomBytes(24).toString('base64url')}`;
  await writeFileAtomic(file, `${token}\n`);
  return token;
}

export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
