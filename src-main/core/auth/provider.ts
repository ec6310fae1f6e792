// Gatehouse as an OAuth client of one server, in the shape the SDK's `auth()` drives: it says who
// Gatehouse is (a native app with a loopback redirect), which client to use (a configured one, a Client ID
// Metadata Document, or one registered dynamically and kept per authorization server), and keeps what
// the flow produces in the sign-in store. The PKCE verifier and `state` live only in memory, for the one
// sign-in under way.
import { randomBytes } from 'node:crypto';
import type {
  OAuthClientInformationContext,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import type { OAuthConfig } from '../../../src-shared/config/schema.js';
import { VERSION } from '../../../src-shared/version.js';
import { SignInFailed } from './loopback.js';
import type { SignInStore } from './store.js';

export interface ProviderOptions {
  subject: string;
  store: SignInStore;
  /** The server's `oauth` entry with its placeholders filled in. */
  oauth?: OAuthConfig;
  clientMetadataUrl?: string;
  redirectUrl: string;
  /** The scope this sign-in asks for, when known. */
  scope?: string;
  /** Opens the authorization page; absent, the provider cannot ask a person and says sign-in is needed. */
  redirect?: (url: URL) => Promise<void>;
  /** Raised when the flow needs a person but none can be asked (a refresh that failed). */
  needsPerson: () => Error;
}

export class SignInProvider implements OAuthClientProvider {
  private verifier: string | undefined;
  private sentState: string | undefined;

  constructor(private readonly o: ProviderOptions) {}

  get redirectUrl(): string {
    return this.o.redirectUrl;
  }

  get clientMetadataUrl(): string | undefined {
    // A configured client id wins over the document.
    return this.o.oauth?.clientId ? undefined : this.o.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata & { application_type: 'native' } {
    return {
      client_name: 'Gatehouse',
      software_id: 'gatehouse',
      software_version: VERSION,
      redirect_uris: [this.o.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    };
  }

  /** The `state` sent with the authorization request; the loopback listener accepts only an answer carrying it. */
  state(): string {
    this.sentState = randomBytes(24).toString('base64url');
    return this.sentState;
  }

  get expectedState(): string | undefined {
    return this.sentState;
  }

  async clientInformation(ctx?: OAuthClientInformationContext): Promise<StoredOAuthClientInformation | undefined> {
    const { clientId, clientSecret } = this.o.oauth ?? {};
    if (clientId) return { client_id: clientId, ...(clientSecret ? { client_secret: clientSecret } : {}), ...(ctx ? { issuer: ctx.issuer } : {}) };
    if (!ctx) return undefined;
    const stored = await this.o.store.client(ctx.issuer);
    // A registration made for another redirect URI would be refused at the authorization endpoint.
    const registered = (stored as { redirect_uris?: string[] } | undefined)?.redirect_uris;
    if (registered && !registered.includes(this.o.redirectUrl)) return undefined;
    // So would one registered for a narrower scope than this sign-in asks for (a step-up): register anew.
    const allowed = (stored as { scope?: string } | undefined)?.scope?.split(' ');
    if (allowed && this.o.scope?.split(' ').some((s) => s && !allowed.includes(s))) return undefined;
    // One made through a metadata document that is no longer configured is dropped likewise.
    if (stored && /^https:/.test(stored.client_id) && stored.client_id !== this.clientMetadataUrl) return undefined;
    return stored;
  }

  /** The client to refresh with: any registration this server's issuer has, whatever redirect it names. */
  async refreshClient(issuer: string): Promise<StoredOAuthClientInformation | undefined> {
    const { clientId, clientSecret } = this.o.oauth ?? {};
    if (clientId) return { client_id: clientId, ...(clientSecret ? { client_secret: clientSecret } : {}), issuer };
    return this.o.store.client(issuer);
  }

  async saveClientInformation(info: StoredOAuthClientInformation, ctx?: OAuthClientInformationContext): Promise<void> {
    if (this.o.oauth?.clientId) return;
    await this.o.store.saveClient(ctx?.issuer ?? info.issuer ?? '', info);
  }

  async tokens(): Promise<StoredOAuthTokens | undefined> {
    return (await this.o.store.read(this.o.subject)).tokens;
  }

  async saveTokens(tokens: StoredOAuthTokens): Promise<void> {
    const now = Date.now();
    await this.o.store.update(this.o.subject, (r) => ({
      ...r,
      // A refresh that returns no new refresh token keeps the old one (no rotation on that server).
      tokens: { ...tokens, refresh_token: tokens.refresh_token ?? r.tokens?.refresh_token },
      obtainedAt: now,
      expiresAt: tokens.expires_in ? now + tokens.expires_in * 1000 : undefined,
    }));
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    if (!this.o.redirect) throw this.o.needsPerson();
    await this.o.redirect(url);
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new SignInFailed('no sign-in is under way here (no PKCE verifier): start the sign-in again');
    return this.verifier;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'verifier' || scope === 'all') this.verifier = undefined;
    if (scope === 'tokens' || scope === 'all') await this.o.store.update(this.o.subject, (r) => ({ ...r, tokens: undefined, expiresAt: undefined }));
    if (scope === 'discovery' || scope === 'all') await this.o.store.update(this.o.subject, (r) => ({ ...r, discovery: undefined }));
    if ((scope === 'client' || scope === 'all') && !this.o.oauth?.clientId) {
      const issuer = (await this.o.store.read(this.o.subject)).discovery?.authorizationServerMetadata?.issuer;
      if (issuer) await this.o.store.saveClient(issuer, undefined);
    }
  }

  async saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> {
    await this.o.store.update(this.o.subject, (r) => ({ ...r, discovery: state }));
  }

  async discoveryState(): Promise<OAuthDiscoveryState | undefined> {
    return (await this.o.store.read(this.o.subject)).discovery;
  }

  async saveResourceUrl(resource: string): Promise<void> {
    await this.o.store.update(this.o.subject, (r) => ({ ...r, resource }));
  }

  async resourceUrl(): Promise<string | undefined> {
    return (await this.o.store.read(this.o.subject)).resource;
  }
}
