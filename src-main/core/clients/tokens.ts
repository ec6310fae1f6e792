// A token per connected client, so the activity log names who called what and one client can be cut off
// without the others. Only each token's SHA-256 is kept (state/client-tokens.json); the token itself is
// written into that client's own config, where it has to be.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readJsonFile, writeFileAtomic } from '../state/index.js';

interface TokenRecord {
  hash: string;
  createdAt: number;
}

export class ClientTokens {
  private records = new Map<string, TokenRecord>();
  private loaded = false;

  constructor(private readonly file: string) {}

  async load(): Promise<void> {
    const stored = await readJsonFile<{ clients?: Record<string, TokenRecord> }>(this.file).catch(() => undefined);
    this.records = new Map(Object.entries(stored?.clients ?? {}).filter(([, r]) => typeof r?.hash === 'string'));
    this.loaded = true;
  }

  /** A new token for the client (replacing any it had). */
  async issue(client: string): Promise<string> {
    if (!this.loaded) await this.load();
    const token = `ghc_${randomBytes(24).toString('base64url')}`;
    this.records.set(client, { hash: digest(token), createdAt: Date.now() });
    await this.save();
    return token;
  }

  async revoke(client: string): Promise<boolean> {
    if (!this.loaded) await this.load();
    const had = this.records.delete(client);
    if (had) await this.save();
    return had;
  }

  /** The client a token belongs to; undefined for any other token. */
  identify(token: string | undefined): string | undefined {
    if (!token) return undefined;
    const presented = Buffer.from(digest(token), 'hex');
    for (const [client, record] of this.records) {
      if (timingSafeEqual(presented, Buffer.from(record.hash, 'hex'))) return client;
    }
    return undefined;
  }

  has(client: string): boolean {
    return this.records.has(client);
  }

  private save(): Promise<void> {
    return writeFileAtomic(this.file, JSON.stringify({ clients: Object.fromEntries(this.records) }, null, 2));
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
