// A token per connected client, so the activity log names who called what and one client can be cut off
// without the others. Only each token's SHA-256 is kept (state/client-tokens.json); the token itself is
// written into that client's own config, where it has to be.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readJsonFile, writeFileAtomic } from '../state/index.js';

interface TokenRecord {
  hash: string;
  createdAt: number;
  /** The servers the client may use (its profile); absent: all of them. */
  servers?: string[];
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
    // A new token keeps the client's profile.
    const servers = this.records.get(client)?.servers;
    this.records.set(client, { hash: digest(token), createdAt: Date.now(), ...(servers ? { servers } : {}) });
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

  /** The servers a client may use; undefined when it may use all. */
  profile(client: string): ReadonlySet<string> | undefined {
    const servers = this.records.get(client)?.servers;
    return servers ? new Set(servers) : undefined;
  }

  /** Limits a connected client to some servers (undefined: all again). */
  async setProfile(client: string, servers: string[] | undefined): Promise<void> {
    const record = this.records.get(client);
    if (!record) throw new Error(`${client} is not connected`);
    const { servers: _old, ...rest } = record;
    this.records.set(client, { ...rest, ...(servers ? { servers: [...new Set(servers)].sort() } : {}) });
    await this.save();
  }

  private save(): Promise<void> {
    return writeFileAtomic(this.file, JSON.stringify({ clients: Object.fromEntries(this.records) }, null, 2));
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
