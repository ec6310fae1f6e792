// Where sign-ins are kept: one record per signed-in server (tokens, the loopback port its redirect URI
// uses, what discovery found) and one client registration per authorization server, all in the secret
// store (the keychain by default), never in a file in the clear. Records are cached in memory so a
// request does not wait on the keychain, and writes to one record are serialised.
import type { OAuthDiscoveryState, StoredOAuthClientInformation, StoredOAuthTokens } from '@modelcontextprotocol/client';
import type { SecretStore } from '../secrets/index.js';

export interface SignInRecord {
  tokens?: StoredOAuthTokens;
  /** When the access token stops working (ms since epoch), from `expires_in`. */
  expiresAt?: number;
  /** When the tokens were saved (ms since epoch). */
  obtainedAt?: number;
  /** The loopback port of the redirect URI registered for this server: kept so the registration stays valid. */
  redirectPort?: number;
  discovery?: OAuthDiscoveryState;
  /** The RFC 8707 resource indicator discovery chose. */
  resource?: string;
}

/** A subject is what a sign-in belongs to: a configured server, or a URL `gatehouse connect` reaches. */
export class SignInStore {
  private readonly records = new Map<string, SignInRecord>();
  private readonly clients = new Map<string, StoredOAuthClientInformation | undefined>();
  private readonly writes = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: () => SecretStore,
    /** Every token and client secret read or written is handed here, so logs and errors redact it. */
    private readonly learn: (values: string[]) => void = () => undefined,
  ) {}

  /** Why the store could not be read, when it could not (no keychain here): sign-ins fail with it. */
  unavailable: string | undefined;

  /**
   * The subject's record; empty when there is none — or when the store cannot be read, so a server that
   * never signs in works on a machine without a keychain (a sign-in there fails, saying why).
   */
  async read(subject: string): Promise<SignInRecord> {
    const cached = this.records.get(subject);
    if (cached) return cached;
    let stored: string | undefined;
    try {
      stored = await this.store().get(recordKey(subject));
      this.unavailable = undefined;
    } catch (err) {
      this.unavailable = (err as Error).message;
      return {};
    }
    const record = parse<SignInRecord>(stored) ?? {};
    this.learnFrom(record.tokens);
    // A read that raced a write keeps the written one.
    if (!this.records.has(subject)) this.records.set(subject, record);
    return this.records.get(subject)!;
  }

  /** The record as last read or written; undefined before the first read. */
  cached(subject: string): SignInRecord | undefined {
    return this.records.get(subject);
  }

  /** Changes a record: applied in memory at once, written to the store in order. */
  async update(subject: string, change: (record: SignInRecord) => SignInRecord): Promise<SignInRecord> {
    const next = change({ ...(await this.read(subject)) });
    this.records.set(subject, next);
    this.learnFrom(next.tokens);
    await this.serial(recordKey(subject), () => this.store().set(recordKey(subject), JSON.stringify(next)));
    return next;
  }

  async forget(subject: string): Promise<void> {
    this.records.set(subject, {});
    await this.serial(recordKey(subject), () => this.store().delete(recordKey(subject)));
  }

  async client(issuer: string): Promise<StoredOAuthClientInformation | undefined> {
    if (!this.clients.has(issuer)) {
      const info = parse<StoredOAuthClientInformation>(await this.store().get(clientKey(issuer)));
      if (info?.client_secret) this.learn([info.client_secret]);
      this.clients.set(issuer, info);
    }
    return this.clients.get(issuer);
  }

  async saveClient(issuer: string, info: StoredOAuthClientInformation | undefined): Promise<void> {
    this.clients.set(issuer, info);
    if (info?.client_secret) this.learn([info.client_secret]);
    await this.serial(clientKey(issuer), () => (info ? this.store().set(clientKey(issuer), JSON.stringify(info)) : this.store().delete(clientKey(issuer))));
  }

  private learnFrom(tokens: StoredOAuthTokens | undefined): void {
    if (!tokens) return;
    this.learn([tokens.access_token, tokens.refresh_token, tokens.id_token].filter((v): v is string => !!v));
  }

  private serial(key: string, write: () => Promise<unknown>): Promise<void> {
    const next = (this.writes.get(key) ?? Promise.resolve()).catch(() => undefined).then(write);
    this.writes.set(key, next);
    return next.then(() => undefined);
  }
}

function recordKey(subject: string): string {
  return `sign-in:${subject}`;
}

function clientKey(issuer: string): string {
  return `client:${issuer}`;
}

function parse<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    // A damaged entry is as good as none: the person signs in again.
    return undefined;
  }
}
