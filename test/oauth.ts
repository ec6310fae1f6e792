// The real parts of the sign-in tests: an authorization server (oidc-provider from npm, on loopback, with
// dynamic registration, PKCE, resource indicators and refresh-token rotation), an MCP server of our own
// (the SDK's) that accepts only that server's JWTs for its own resource, and a headless "browser" that
// follows the authorization page's redirects and fills in its login form, as a person would.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import Provider from 'oidc-provider';
import { z } from 'zod';
// @ts-expect-error a plain-JS fixture, also run as a program
import { browse } from './fixtures/browser.mjs';

export interface AuthServer {
  issuer: string;
  provider: Provider;
  /** Token endpoint requests, by grant type. */
  grants: { authorization_code: number; refresh_token: number };
  registrations: number;
  /** Authorization requests, as sent (to check PKCE and the resource indicator). */
  authorizations: URL[];
  /** Every refresh token issued so far is revoked: the next refresh fails. */
  revokeRefreshTokens(): Promise<void>;
  close(): Promise<void>;
}

export async function startAuthServer(options: { accessTokenTTL?: number } = {}): Promise<AuthServer> {
  const http = createServer();
  await listen(http);
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const ttl = options.accessTokenTTL ?? 3600;
  const refreshTokens = new Set<string>();
  const provider = new Provider(issuer, {
    features: {
      devInteractions: { enabled: true },
      registration: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined as unknown as string,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({ scope: 'mcp:read mcp:write', audience: resource, accessTokenTTL: ttl, accessTokenFormat: 'jwt' }),
      },
    },
    scopes: ['openid', 'offline_access', 'mcp:read', 'mcp:write'],
    pkce: { required: () => true },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    ttl: { AccessToken: ttl, RefreshToken: 24 * 3600, Grant: 24 * 3600, Session: 24 * 3600, Interaction: 600, AuthorizationCode: 60 },
  });
  const server: AuthServer = {
    issuer,
    provider,
    grants: { authorization_code: 0, refresh_token: 0 },
    registrations: 0,
    authorizations: [],
    async revokeRefreshTokens() {
      for (const value of refreshTokens) await (await provider.RefreshToken.find(value))?.destroy();
    },
    close: () => new Promise((resolve) => (http.closeAllConnections(), http.close(() => resolve()))),
  };
  provider.on('grant.success', (ctx) => {
    const grant = (ctx.oidc.params?.grant_type as string) ?? '';
    if (grant === 'authorization_code' || grant === 'refresh_token') server.grants[grant]++;
    const issued = (ctx.body as { refresh_token?: string } | undefined)?.refresh_token;
    if (issued) refreshTokens.add(issued);
  });
  provider.on('registration_create.success', () => server.registrations++);
  provider.use(async (ctx, next) => {
    if (ctx.path === '/auth' && ctx.method === 'GET') server.authorizations.push(new URL(ctx.href));
    await next();
  });
  http.on('request', provider.callback());
  return server;
}

export interface ProtectedMcp {
  url: string;
  /** Requests refused for a missing, expired or foreign token. */
  refused: number;
  /** Requests that carried a valid token. */
  accepted: number;
  /** Refuses this many more requests as if their token had been revoked here. */
  rejectNext: number;
  close(): Promise<void>;
}

/**
 * An MCP server that takes only JWTs the authorization server issued for its URL. Its `whoami` tool needs
 * `mcp:read`; `write_note` needs `mcp:write`, and without it the server answers 403 insufficient_scope.
 */
/**
 * An MCP server that refuses requests without a token. Given `key`, it is a key-only server: it takes that key
 * as a bearer token and publishes no OAuth metadata.
 */
export async function startProtectedMcp(issuer: string, options: { key?: string } = {}): Promise<ProtectedMcp> {
  const http = createServer();
  await listen(http);
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const url = `${origin}/mcp`;
  const metadataUrl = `${origin}/.well-known/oauth-protected-resource/mcp`;
  const jwks = options.key ? undefined : createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const handler = createMcpHandler(() => {
    const server = new McpServer({ name: 'protected', version: '1.0.0' });
    server.registerTool('whoami', { description: 'Says who the token belongs to.', inputSchema: z.object({}) }, async (_args, ctx) => ({
      content: [{ type: 'text', text: `signed in as ${String(ctx.http?.authInfo?.extra?.sub ?? 'someone')}` }],
    }));
    server.registerTool('write_note', { description: 'Writes a note.', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
      content: [{ type: 'text', text: `noted: ${text}` }],
    }));
    return server;
  });
  const state: ProtectedMcp = { url, refused: 0, accepted: 0, rejectNext: 0, close: () => new Promise((r) => (http.closeAllConnections(), http.close(() => r()))) };
  const challenge = (extra = '') => (options.key ? `Bearer${extra.replace(/^,/, '')}` : `Bearer resource_metadata="${metadataUrl}"${extra}`);
  http.on('request', async (req, res) => {
    if (req.url === '/.well-known/oauth-protected-resource/mcp' && !options.key) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ resource: url, authorization_servers: [issuer], scopes_supported: ['mcp:read'], bearer_methods_supported: ['header'] }));
      return;
    }
    if (!req.url?.startsWith('/mcp')) return void res.writeHead(404).end();
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    let scopes: string[] = [];
    let sub = '';
    try {
      if (!token) throw new Error('no token');
      if (state.rejectNext > 0 && state.rejectNext--) throw new Error('revoked here');
      if (options.key) {
        if (token !== options.key) throw new Error('not the key');
        [scopes, sub] = [['mcp:read', 'mcp:write'], 'the key holder'];
      } else {
        const { payload } = await jwtVerify(token, jwks!, { issuer, audience: url });
        scopes = String(payload.scope ?? '').split(' ');
        sub = String(payload.sub);
      }
    } catch {
      state.refused++;
      res.writeHead(401, { 'www-authenticate': challenge(token ? ', error="invalid_token"' : ''), 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    const parsed = body ? JSON.parse(body) : undefined;
    if (parsed?.method === 'tools/call' && parsed.params?.name === 'write_note' && !scopes.includes('mcp:write')) {
      res.writeHead(403, { 'www-authenticate': challenge(', error="insufficient_scope", scope="mcp:read mcp:write"') });
      res.end();
      return;
    }
    state.accepted++;
    const request = new Request(`${origin}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body });
    const authInfo = { token: token!, clientId: '', scopes, extra: { sub } };
    const response = await handler.fetch(request, { authInfo, ...(parsed ? { parsedBody: parsed } : {}) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return state;
}

export interface BrowserOptions {
  /** Changes the redirect back to Gatehouse before it is followed (a forged `state` or `iss`). */
  tamper?: (callback: URL) => URL;
  /** Every page the browser was sent to first. */
  opened?: string[];
}

/** Opens an authorization page the way a person's browser would (test/fixtures/browser.mjs). */
export function headlessBrowser(options: BrowserOptions = {}): (url: string) => Promise<void> {
  return async (start) => {
    options.opened?.push(start);
    await browse(start, options);
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
