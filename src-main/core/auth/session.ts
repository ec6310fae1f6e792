// One server's sign-in, as the HTTP transport sees it: a fetch that carries the access token, refreshes it
// ahead of expiry and after a 401 (then sends the request once more), and — when a person must act —
// fails at once with what to do instead of retrying. Concurrent requests share one refresh; a request that
// finds the token already replaced just uses the new one.
import type { FetchLike, OAuthDiscoveryState } from '@modelcontextprotocol/client';
import type { OAuthConfig } from '../../../src-shared/config/schema.js';
import type { SignInStatus } from '../../../src-shared/sign-in.js';
import { loadClientSdk, statusOf } from '../upstream/index.js';
import { openLoopback, SignInFailed } from './loopback.js';
import { SignInProvider } from './provider.js';
import type { SignInStore } from './store.js';
import { isWebPage } from '../../../src-shared/web-page.js';

/** Refresh this long before expiry at most; for short-lived tokens, in the last quarter of their life. */
const REFRESH_AHEAD_MS = 5 * 60_000;

/** The server needs a person to sign in (again); requests fail with this until they do. */
export class SignInRequired extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInRequired';
  }
}

export interface SessionDeps {
  subject: string;
  url: string;
  store: SignInStore;
  /** The `oauth` entry with its placeholders filled in. */
  oauth: () => Promise<OAuthConfig | undefined>;
  clientMetadataUrl: () => string | undefined;
  /** How a person is told to sign in ("run gatehouse auth login x"). */
  howToSignIn: string;
  /** How a person gives a server that offers no sign-in the key it wants ("in its headers"). */
  howToGiveKey: string;
  onChange: () => void;
  fetch?: FetchLike;
  /** Runs a refresh or a sign-in inside a trace span (no token is ever an attribute). */
  trace?: <T>(name: string, attributes: Record<string, string>, work: () => Promise<T>) => Promise<T>;
}

export interface SignInOptions {
  /** Shows the authorization page to the person: the system browser, or a printed address. */
  open: (url: string) => void | Promise<void>;
  waitMs?: number;
}

export class SignInSession {
  private required: string | undefined;
  private refreshing: Promise<void> | undefined;
  private signingIn: Promise<void> | undefined;
  private pendingUrl: string | undefined;
  private lastError: string | undefined;
  private wants: SignInStatus['wants'];
  private challenge: { resourceMetadataUrl?: URL; scope?: string } = {};
  /** The scope a server asked for beyond what was granted (step-up), for the next sign-in. */
  private wantScope: string | undefined;
  private readonly base: FetchLike;

  constructor(private readonly deps: SessionDeps) {
    this.base = deps.fetch ?? ((input, init) => fetch(input, init));
  }

  get url(): string {
    return this.deps.url;
  }

  /** Why requests fail until a person signs in; undefined when they need not. */
  get signInNeeded(): string | undefined {
    return this.required;
  }

  readonly fetch: FetchLike = async (input, init) => {
    if (this.required) throw new SignInRequired(this.required);
    let record = await this.deps.store.read(this.deps.subject);
    let token = record.tokens?.access_token;
    if (token && record.tokens?.refresh_token && record.expiresAt && record.expiresAt - Date.now() < aheadOf(record.obtainedAt, record.expiresAt)) {
      await this.refresh(token);
      record = await this.deps.store.read(this.deps.subject);
      token = record.tokens?.access_token;
    }
    let response = await this.send(input, init, token);
    if (response.status === 401) {
      const { extractWWWAuthenticateParams } = await loadClientSdk();
      const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(response);
      this.challenge = { resourceMetadataUrl, scope };
      if (!token || !record.tokens?.refresh_token) {
        await response.body?.cancel();
        // Nothing says where to sign in: a server of the 2025-03-26 revision may still take one at its default
        // endpoints, but most such servers want a key, and the person is told both.
        if (!token && !resourceMetadataUrl && !(await this.offersSignIn(await loadClientSdk()))) {
          this.wants ??= 'key-or-sign-in';
          throw this.requireSignIn(`it refuses requests without credentials and publishes no OAuth metadata: if it offers no sign-in, ${this.keyWanted()}; if it does`);
        }
        throw this.requireSignIn(token ? 'its sign-in is no longer accepted' : 'it needs you to sign in');
      }
      await response.body?.cancel();
      await this.refresh(token);
      response = await this.send(input, init, (await this.deps.store.read(this.deps.subject)).tokens?.access_token);
      if (response.status === 401) {
        await response.body?.cancel();
        throw this.requireSignIn('its sign-in is no longer accepted');
      }
    }
    if (response.status === 403) {
      const { extractWWWAuthenticateParams, computeScopeUnion } = await loadClientSdk();
      const challenge = extractWWWAuthenticateParams(response);
      if (challenge.error === 'insufficient_scope') {
        await response.body?.cancel();
        const granted = (await this.deps.store.read(this.deps.subject)).tokens?.scope;
        this.wantScope = computeScopeUnion(granted, this.wantScope, challenge.scope);
        this.challenge = { resourceMetadataUrl: challenge.resourceMetadataUrl ?? this.challenge.resourceMetadataUrl, scope: challenge.scope };
        throw this.requireSignIn(`it needs more access than you granted${challenge.scope ? ` (${challenge.scope})` : ''}`);
      }
    }
    return response;
  };

  private send(input: string | URL, init: RequestInit | undefined, token: string | undefined): Promise<Response> {
    const headers = new Headers(init?.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return this.base(input, { ...init, headers });
  }

  /** One refresh however many requests ask; none when the token they used was already replaced. */
  refresh(usedToken: string | undefined): Promise<void> {
    if (this.refreshing) return this.refreshing;
    const current = this.deps.store.cached(this.deps.subject)?.tokens?.access_token;
    if (usedToken !== undefined && current !== usedToken) return Promise.resolve();
    this.refreshing = this.traced('oauth refresh', () => this.refreshNow()).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshNow(): Promise<void> {
    const sdk = await loadClientSdk();
    const record = await this.deps.store.read(this.deps.subject);
    const refreshToken = record.tokens?.refresh_token;
    if (!refreshToken) throw this.requireSignIn('its sign-in has expired');
    // Tokens brought from elsewhere come without what discovery found: find it now.
    const discovery = record.discovery ?? (await sdk.discoverOAuthServerInfo(this.deps.url, { fetchFn: this.base }));
    if (!record.discovery) await this.deps.store.update(this.deps.subject, (r) => ({ ...r, discovery }));
    const issuer = discovery.authorizationServerMetadata?.issuer ?? discovery.authorizationServerUrl;
    const provider = await this.provider(redirectFor(record.redirectPort));
    const clientInformation = await provider.refreshClient(issuer);
    if (!clientInformation) throw this.requireSignIn('its client registration is gone');
    try {
      const tokens = await sdk.refreshAuthorization(discovery.authorizationServerUrl, {
        metadata: discovery.authorizationServerMetadata,
        clientInformation,
        refreshToken,
        resource: record.resource,
        fetchFn: this.base,
      });
      await provider.saveTokens({ ...tokens, issuer });
      this.lastError = undefined;
      this.deps.onChange();
    } catch (err) {
      // The server said no (expired, revoked, reused): only a person can fix it. Anything else
      // (unreachable, a 5xx) is passing: the request fails, the sign-in stays.
      if (err instanceof sdk.OAuthError && err.code !== 'server_error' && err.code !== 'temporarily_unavailable') {
        await this.deps.store.update(this.deps.subject, (r) => ({ ...r, tokens: undefined, expiresAt: undefined }));
        throw this.requireSignIn(`its sign-in was refused on refresh (${err.code})`);
      }
      throw new Error(`could not refresh the sign-in: ${(err as Error).message}`);
    }
  }

  private traced<T>(name: string, work: () => Promise<T>): Promise<T> {
    return this.deps.trace ? this.deps.trace(name, { 'gatehouse.sign_in.url': new URL(this.deps.url).origin }, work) : work();
  }

  private requireSignIn(why: string): SignInRequired {
    const store = this.deps.store.unavailable;
    this.required = `${why}: ${this.deps.howToSignIn}${store ? ` (sign-ins are kept in the keychain, which is not usable here: ${store})` : ''}`;
    this.deps.onChange();
    return new SignInRequired(this.required);
  }

  private async provider(redirectUrl: string, redirect?: (url: URL) => Promise<void>, scope?: string): Promise<SignInProvider> {
    return new SignInProvider({
      subject: this.deps.subject,
      store: this.deps.store,
      oauth: await this.deps.oauth(),
      clientMetadataUrl: this.deps.clientMetadataUrl(),
      redirectUrl,
      redirect,
      scope,
      needsPerson: () => new SignInRequired(this.required ?? `it needs you to sign in: ${this.deps.howToSignIn}`),
    });
  }

  /**
   * Signs in with a person at the browser: discovery, registration when needed, the authorization page
   * (PKCE, `state`, the resource indicator), the answer on the loopback listener, the token exchange.
   * A sign-in already under way is joined, not started twice.
   */
  signIn(options: SignInOptions): Promise<void> {
    this.signingIn ??= this.traced('oauth sign-in', () => this.signInNow(options)).finally(() => {
      this.signingIn = undefined;
      this.pendingUrl = undefined;
      this.deps.onChange();
    });
    return this.signingIn;
  }

  private async signInNow({ open, waitMs }: SignInOptions): Promise<void> {
    assertSecureUrl(this.deps.url);
    const sdk = await loadClientSdk();
    const oauth = await this.deps.oauth();
    const record = await this.deps.store.read(this.deps.subject);
    let provider: SignInProvider | undefined;
    const loopback = await openLoopback(record.redirectPort ?? oauth?.redirectPort ?? 0, () => provider?.expectedState, waitMs);
    try {
      if (record.redirectPort !== loopback.port) await this.deps.store.update(this.deps.subject, (r) => ({ ...r, redirectPort: loopback.port }));
      const granted = record.tokens?.scope;
      const scope = sdk.computeScopeUnion(oauth?.scopes?.join(' '), this.wantScope, this.challenge.scope, this.wantScope ? granted : undefined);
      provider = await this.provider(
        loopback.redirectUrl,
        async (url) => {
          // The server names the page; a file, a share or another app's link scheme is never opened.
          assertPageUrl(url);
          this.pendingUrl = url.href;
          this.deps.onChange();
          await open(url.href);
        },
        scope,
      );
      const options = { serverUrl: this.deps.url, scope, resourceMetadataUrl: this.challenge.resourceMetadataUrl, fetchFn: this.base };
      let result = await sdk.auth(provider, { ...options, forceReauthorization: true });
      if (result === 'REDIRECT') {
        const answer = await loopback.answer;
        result = await sdk.auth(provider, { ...options, authorizationCode: answer.code, iss: answer.iss });
      }
      if (result !== 'AUTHORIZED') throw new SignInFailed('the authorization server did not issue a token');
      this.required = undefined;
      this.wants = undefined;
      this.wantScope = undefined;
      this.lastError = undefined;
    } catch (err) {
      // A server that answers 401 and publishes no OAuth metadata, nor serves the default endpoints of the
      // 2025-03-26 revision's fallback (the flow's 404), wants a key, not a sign-in: that 404 alone would send
      // the person looking for a wrong address.
      if (!(err instanceof SignInFailed) && statusOf(err)?.status === 404 && !(await this.offersSignIn(sdk))) {
        this.wants = 'key';
        this.lastError = `the server refuses requests without credentials and offers no sign-in (it publishes no OAuth metadata): ${this.keyWanted()}`;
        // What it waits for is now known: a key, and no longer maybe a sign-in.
        if (this.required) this.required = this.lastError;
        throw new SignInFailed(this.lastError);
      }
      this.lastError = describe(err);
      throw err instanceof SignInFailed || err instanceof SignInRequired ? err : new SignInFailed(this.lastError);
    } finally {
      await loopback.close();
    }
  }

  private keyWanted(): string {
    return `it wants a key or token, ${this.deps.howToGiveKey}`;
  }

  /** Whether the server publishes where to sign in (protected resource or authorization server metadata). */
  private async offersSignIn(sdk: Awaited<ReturnType<typeof loadClientSdk>>): Promise<boolean> {
    try {
      const found = await sdk.discoverOAuthServerInfo(this.deps.url, { resourceMetadataUrl: this.challenge.resourceMetadataUrl, fetchFn: this.base });
      return Boolean(found.resourceMetadata || found.authorizationServerMetadata);
    } catch {
      return true;
    }
  }

  /** Forgets the tokens (the registration stays, so the next sign-in reuses it). */
  async signOut(): Promise<void> {
    await this.deps.store.update(this.deps.subject, (r) => ({ redirectPort: r.redirectPort, discovery: r.discovery as OAuthDiscoveryState | undefined }));
    this.required = undefined;
    this.lastError = undefined;
    this.deps.onChange();
  }

  async status(): Promise<Omit<SignInStatus, 'server'>> {
    const record = await this.deps.store.read(this.deps.subject);
    const tokens = record.tokens;
    return {
      state: this.signingIn ? 'signing-in' : this.required ? 'required' : tokens ? 'signed-in' : 'signed-out',
      ...(this.required ? { reason: this.required } : {}),
      ...(this.wants && !tokens ? { wants: this.wants } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.pendingUrl ? { authorizationUrl: this.pendingUrl } : {}),
      ...(tokens?.scope ? { scopes: tokens.scope.split(' ').filter(Boolean) } : {}),
      ...(record.expiresAt ? { expiresAt: record.expiresAt } : {}),
      ...(tokens ? { refreshable: !!tokens.refresh_token } : {}),
      ...(record.discovery?.authorizationServerMetadata?.issuer ? { issuer: record.discovery.authorizationServerMetadata.issuer } : {}),
    };
  }
}

function aheadOf(obtainedAt: number | undefined, expiresAt: number): number {
  const life = obtainedAt ? expiresAt - obtainedAt : Infinity;
  return Math.min(REFRESH_AHEAD_MS, life / 4);
}

function redirectFor(port: number | undefined): string {
  return `http://127.0.0.1:${port ?? 0}/callback`;
}

/** A sign-in page opened in the person's browser: https, or http on this machine; nothing else. */
function assertPageUrl(u: URL): void {
  if (!isWebPage(u)) {
    throw new SignInFailed(`the server's sign-in page is not a web address Gatehouse will open (${u.protocol.slice(0, -1)}); sign-in pages must be https`);
  }
}

/** Tokens go only over https, or to this machine. */
export function assertSecureUrl(url: string): void {
  const u = new URL(url);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) || u.hostname.endsWith('.localhost');
  if (u.protocol !== 'https:' && !loopback) throw new SignInFailed(`sign-in needs an https address (tokens are never sent in the clear): ${u.origin} is ${u.protocol.slice(0, -1)}`);
}

function describe(err: unknown): string {
  const e = err as Error & { code?: string };
  if (e?.name === 'OAuthError' || e?.code) return `${e.message}${e.code && !e.message.includes(e.code) ? ` (${e.code})` : ''}`;
  return e instanceof Error ? e.message : String(err);
}
