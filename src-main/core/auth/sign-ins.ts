// Every configured server's sign-in: which servers may sign in (HTTP ones without an Authorization header
// of their own), the fetch their transport uses, and what a person does — sign in, sign out, look.
// A sign-in belongs to the server's name and URL together: tokens never go to an address they were not
// issued for, even after an edit.
import { createHash } from 'node:crypto';
import type { FetchLike } from '@modelcontextprotocol/client';
import { serverEntry, serverKind, type GatehouseConfig, type ServerConfig } from '../../../src-shared/config/schema.js';
import type { SignInStatus } from '../../../src-shared/sign-in.js';
import { SignInSession, type SessionDeps, type SignInOptions } from './session.js';
import type { SignInStore } from './store.js';

export interface SignInsDeps {
  store: SignInStore;
  config: () => GatehouseConfig;
  /** A server's entry with its placeholders filled in (for `oauth.clientSecret`). */
  resolve: (config: ServerConfig) => Promise<ServerConfig>;
  onChange: (status: SignInStatus) => void;
  fetch?: FetchLike;
  trace?: SessionDeps['trace'];
}

export class NoSignIn extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoSignIn';
  }
}

/** A server signs in unless it is stdio or sends its own Authorization header. */
export function signsIn(config: ServerConfig): boolean {
  const kind = serverKind(config);
  if ((kind !== 'http' && kind !== 'sse') || !config.url) return false;
  return !Object.keys(config.headers ?? {}).some((h) => h.toLowerCase() === 'authorization');
}

export function subjectFor(prefix: string, url: string): string {
  return `${prefix}@${createHash('sha256').update(url).digest('hex').slice(0, 16)}`;
}

export class SignIns {
  private readonly sessions = new Map<string, SignInSession>();

  constructor(private readonly deps: SignInsDeps) {}

  /** The server's session, made on first use; undefined for a server that does not sign in. */
  session(name: string): SignInSession | undefined {
    const config = serverEntry(this.deps.config(), name);
    if (!config || !signsIn(config)) return undefined;
    const subject = subjectFor(name, config.url!);
    let session = this.sessions.get(subject);
    if (!session) {
      session = new SignInSession({
        subject,
        url: config.url!,
        store: this.deps.store,
        oauth: async () => {
          const current = serverEntry(this.deps.config(), name);
          return current?.oauth && (await this.deps.resolve(current)).oauth;
        },
        clientMetadataUrl: () => this.deps.config().oauthClientMetadataUrl,
        howToSignIn: `sign in with \`gatehouse auth login ${name}\` or the Sign in button on the Servers page`,
        howToGiveKey: `which goes in its "headers" (as "Authorization": "Bearer \${keyring:<name>}", the key set with \`gatehouse secrets set <name>\`) on the Servers page or in config.json`,
        onChange: () => void this.status(name).then((s) => s && this.deps.onChange(s)),
        fetch: this.deps.fetch,
        trace: this.deps.trace,
      });
      this.sessions.set(subject, session);
    }
    return session;
  }

  /** What the HTTP transport of `name` fetches with. */
  fetchFor(name: string, resolved: ServerConfig): FetchLike | undefined {
    return signsIn(resolved) ? this.session(name)?.fetch : undefined;
  }

  /** Why the server waits for a person to sign in, if it does. */
  signInNeeded(name: string): string | undefined {
    return this.session(name)?.signInNeeded;
  }

  async login(name: string, options: SignInOptions): Promise<SignInStatus> {
    const session = this.session(name);
    if (!session) throw this.noSignIn(name);
    await session.signIn(options);
    return (await this.status(name))!;
  }

  async logout(name: string): Promise<SignInStatus> {
    const session = this.session(name);
    if (!session) throw this.noSignIn(name);
    await session.signOut();
    return (await this.status(name))!;
  }

  /** The sign-in of the server named; undefined for one that does not sign in. */
  async status(name: string): Promise<SignInStatus | undefined> {
    const session = this.session(name);
    return session && { server: name, ...(await session.status()) };
  }

  /** Every server that signs in. */
  async all(): Promise<SignInStatus[]> {
    const names = Object.keys(this.deps.config().mcpServers).filter((n) => this.session(n));
    return Promise.all(names.map(async (n) => ({ server: n, ...(await this.session(n)!.status()) })));
  }

  /** A removed server's tokens go with it (its client registration stays, for the authorization server). */
  async forget(name: string): Promise<void> {
    for (const subject of [...this.sessions.keys()].filter((s) => s.startsWith(`${name}@`))) {
      this.sessions.delete(subject);
      await this.deps.store.forget(subject);
    }
  }

  private noSignIn(name: string): NoSignIn {
    const config = serverEntry(this.deps.config(), name);
    if (!config) return new NoSignIn(`no server named "${name}"`);
    if (!config.url) return new NoSignIn(`"${name}" is a stdio server: it has no sign-in`);
    return new NoSignIn(`"${name}" sends its own Authorization header (in "headers"), so Gatehouse does not sign it in`);
  }
}
