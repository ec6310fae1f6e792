// Signing in to an OAuth-protected MCP server, with real parts: oidc-provider as the authorization server,
// the SDK's server behind a JWT check as the resource, the OS keychain for tokens, and a headless browser
// that fills in the login form. Through the admin API, as the window and the CLI use it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../src-shared/api/index.js';
import type { Gatehouse } from '../src-main/core/gatehouse.js';
import { KeychainSecretStore } from '../src-main/core/secrets/index.js';
import { alive, BIN, freePort, openCore, refusal, ROOT, startEverything, tempHome, textOf, waitFor } from './helpers.js';
import { requireKeychain } from './keychain.js';
import { headlessBrowser, startAuthServer, startProtectedMcp, type AuthServer, type ProtectedMcp } from './oauth.js';

const hasKeychain = await requireKeychain();
const SIGN_INS = new KeychainSecretStore('Gatehouse sign-ins');

interface Setup {
  as: AuthServer;
  mcp: ProtectedMcp;
  core: Gatehouse;
  api: ApiClient;
  home: string;
  reopen(): Promise<void>;
  close(): Promise<void>;
}

async function setup(options: { accessTokenTTL?: number; oauth?: object; config?: object } = {}): Promise<Setup> {
  const as = await startAuthServer(options);
  const mcp = await startProtectedMcp(as.issuer);
  const t = await tempHome({ mcpServers: { protected: { url: mcp.url, ...(options.oauth ? { oauth: options.oauth } : {}) } }, ...options.config });
  const opened = await openCore(t.home);
  const s: Setup = {
    as,
    mcp,
    home: t.home,
    ...opened,
    async reopen() {
      await s.core.close();
      Object.assign(s, await openCore(t.home));
    },
    async close() {
      await s.api.call('auth.logout', { name: 'protected' }).catch(() => undefined);
      await s.core.close();
      await mcp.close();
      await as.close();
      t.cleanup();
    },
  };
  return s;
}

/** Signs in through the admin API and the browser; resolves when the sign-in is done. */
async function signIn(s: Setup, browser = headlessBrowser()) {
  const started = await s.api.call('auth.login', { name: 'protected' });
  expect(started.authorizationUrl).toBeTruthy();
  await browser(started.authorizationUrl!);
  return waitFor(async () => {
    const [status] = (await s.api.call('auth.status', { name: 'protected' })).signIns;
    return status.state === 'signing-in' ? undefined : status;
  }, 'the sign-in to finish');
}

async function whoami(s: Setup) {
  return textOf((await s.api.call('tools.call', { id: 'protected__whoami', arguments: {} })).result);
}

/** Every file under the home, read as text. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [readFileSync(p, 'latin1')];
  });
}

async function storedRecord(): Promise<{ tokens?: { access_token: string; refresh_token?: string; scope?: string } }> {
  const names = (await SIGN_INS.list()).filter((n) => n.startsWith('sign-in:protected@'));
  const values = await Promise.all(names.map((n) => SIGN_INS.get(n)));
  return JSON.parse(values.find((v) => v && v.includes('access_token')) ?? '{}');
}

describe.skipIf(!hasKeychain)('signing in to an OAuth server', () => {
  let s: Setup | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('waits for a person, signs in once (PKCE, state, resource, native registration), keeps tokens only in the keychain, and needs no new sign-in after a restart', async () => {
    s = await setup();
    const refresh = await s.api.call('catalog.refresh', { servers: ['protected'] });
    expect(refresh.results[0].error).toMatch(/gatehouse auth login protected/);
    const [server] = (await s.api.call('servers.list', {})).servers;
    expect(server.state).toBe('needs-sign-in');
    // Calls fail at once with what to do, without knocking on the server again.
    const refusedBefore = s.mcp.refused;
    const error = await refusal(s.api.call('tools.call', { id: 'protected__whoami', arguments: {} }));
    expect(error.message).toMatch(/sign in/);
    expect(s.mcp.refused).toBe(refusedBefore);

    const status = await signIn(s);
    expect(status.state).toBe('signed-in');
    expect(status.scopes).toContain('mcp:read');
    expect(status.expiresAt).toBeGreaterThan(Date.now());
    const request = s.as.authorizations[0];
    expect(request.searchParams.get('code_challenge_method')).toBe('S256');
    expect(request.searchParams.get('code_challenge')).toBeTruthy();
    expect(request.searchParams.get('state')).toBeTruthy();
    expect(request.searchParams.get('resource')).toBe(s.mcp.url);
    expect(s.as.registrations).toBe(1);
    const client = await s.as.provider.Client.find(request.searchParams.get('client_id')!);
    expect(client?.applicationType).toBe('native');

    await waitFor(async () => (await s!.api.call('tools.list', { server: 'protected' })).tools.length > 0, 'the tools after sign-in');
    expect(await whoami(s)).toBe('signed in as alice');
    const { tokens } = await storedRecord();
    expect(tokens?.access_token).toBeTruthy();
    for (const text of filesUnder(s.home)) expect(text.includes(tokens!.access_token)).toBe(false);

    await s.reopen();
    expect(await whoami(s)).toBe('signed in as alice');
    expect(s.as.authorizations).toHaveLength(1);
    expect(s.as.registrations).toBe(1);

    // Removing the server removes its tokens from the keychain.
    await s.api.call('servers.remove', { name: 'protected' });
    await waitFor(async () => !(await storedRecord()).tokens, 'the tokens to leave the keychain');
  });

  it('leaves servers that need no sign-in working where the sign-in store cannot be opened, and says why a sign-in cannot be kept', async () => {
    const everything = await startEverything('streamableHttp');
    const as = await startAuthServer();
    const mcp = await startProtectedMcp(as.issuer);
    const t = await tempHome({ mcpServers: { open: { url: `http://127.0.0.1:${everything.port}/mcp` }, protected: { url: mcp.url } } });
    // The encrypted file without its passphrase: a store that cannot be opened.
    const { core, api } = await openCore(t.home, { env: { GATEHOUSE_SECRET_STORE: 'encrypted-file' } });
    try {
      const results = (await api.call('catalog.refresh', {})).results;
      expect(results.find((r) => r.server === 'open')?.error).toBeUndefined();
      expect(results.find((r) => r.server === 'protected')?.error).toMatch(/GATEHOUSE_SECRETS_PASSPHRASE/);
    } finally {
      await core.close();
      everything.child.kill();
      await mcp.close();
      await as.close();
      t.cleanup();
    }
  });
});

describe.skipIf(!hasKeychain)('keeping a sign-in fresh', () => {
  let s: Setup | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('refreshes ahead of expiry, so the server never sees an expired token; the refresh token rotates', async () => {
    s = await setup({ accessTokenTTL: 4 });
    await signIn(s);
    const first = (await storedRecord()).tokens!;
    expect(await whoami(s)).toBe('signed in as alice');
    // A quarter of its life before expiry, the next call refreshes first.
    await new Promise((r) => setTimeout(r, 3200));
    const refused = s.mcp.refused;
    expect(await whoami(s)).toBe('signed in as alice');
    expect(s.as.grants.refresh_token).toBe(1);
    expect(s.mcp.refused).toBe(refused);
    const second = (await storedRecord()).tokens!;
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    // The old refresh token is spent.
    expect((await s.as.provider.RefreshToken.find(first.refresh_token!))?.consumed).toBeTruthy();
  });

  it('refreshes after a 401 and sends the request once more, in a trace span that holds no token', async () => {
    const bodies: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => (bodies.push(body), res.writeHead(200, { 'content-type': 'application/json' }).end('{}')));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    try {
      s = await setup({ config: { telemetry: { otlpEndpoint: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces` } } });
      await signIn(s);
      expect(await whoami(s)).toBe('signed in as alice');
      s.mcp.rejectNext = 1;
      expect(await whoami(s)).toBe('signed in as alice');
      expect(s.as.grants.refresh_token).toBe(1);
      await waitFor(() => bodies.some((b) => b.includes('oauth refresh')), 'the refresh span', 20_000);
      expect(bodies.some((b) => b.includes('oauth sign-in'))).toBe(true);
      const { tokens } = await storedRecord();
      for (const body of bodies) {
        expect(body.includes(tokens!.access_token)).toBe(false);
        expect(body.includes(tokens!.refresh_token!)).toBe(false);
      }
    } finally {
      receiver.close();
    }
  });

  it('makes exactly one refresh for 20 calls at once', async () => {
    s = await setup({ accessTokenTTL: 4 });
    await signIn(s);
    expect(await whoami(s)).toBe('signed in as alice');
    await new Promise((r) => setTimeout(r, 3200));
    const answers = await Promise.all(Array.from({ length: 20 }, () => whoami(s!)));
    expect(answers.every((a) => a === 'signed in as alice')).toBe(true);
    expect(s.as.grants.refresh_token).toBe(1);
  });

  it('turns a refused refresh into "sign-in required": calls fail at once from then on, until a person signs in again', async () => {
    s = await setup();
    await signIn(s);
    expect(await whoami(s)).toBe('signed in as alice');
    await s.as.revokeRefreshTokens();
    s.mcp.rejectNext = 1;
    const error = await refusal(whoami(s));
    expect(error.message).toMatch(/refused on refresh \(invalid_grant\).*gatehouse auth login protected/);
    const [status] = (await s.api.call('auth.status', { name: 'protected' })).signIns;
    expect(status.state).toBe('required');
    expect((await s.api.call('servers.get', { name: 'protected' })).server.state).toBe('needs-sign-in');
    const seen = { refused: s.mcp.refused, accepted: s.mcp.accepted, refreshes: s.as.grants.refresh_token };
    for (let i = 0; i < 5; i++) expect((await refusal(whoami(s))).message).toMatch(/sign in/);
    expect({ refused: s.mcp.refused, accepted: s.mcp.accepted, refreshes: s.as.grants.refresh_token }).toEqual(seen);
    const records = (await s.api.call('activity.query', { kind: 'signin', server: 'protected' })).records;
    expect(records.map((r) => r.status)).toContain('required');

    expect((await signIn(s)).state).toBe('signed-in');
    await waitFor(async () => (await s!.api.call('servers.get', { name: 'protected' })).server.state !== 'needs-sign-in', 'the server to leave needs-sign-in');
    expect(await whoami(s)).toBe('signed in as alice');
  });

  it('asks for the larger scope with one new sign-in when the server says insufficient_scope', async () => {
    s = await setup();
    await signIn(s);
    expect((await s.api.call('auth.status', { name: 'protected' })).signIns[0].scopes).not.toContain('mcp:write');
    const error = await refusal(s.api.call('tools.call', { id: 'protected__write_note', arguments: { text: 'hi' } }));
    expect(error.message).toMatch(/more access.*mcp:write/);
    const status = await signIn(s);
    expect(status.scopes).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write']));
    expect(s.as.authorizations).toHaveLength(2);
    expect(s.as.authorizations[1].searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write']));
    await waitFor(async () => (await s!.api.call('servers.get', { name: 'protected' })).server.state !== 'needs-sign-in', 'the server to leave needs-sign-in');
    expect(textOf((await s.api.call('tools.call', { id: 'protected__write_note', arguments: { text: 'hi' } })).result)).toBe('noted: hi');
  });
});

describe.skipIf(!hasKeychain)('a sign-in that must be refused', () => {
  let s: Setup | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('refuses an answer with the wrong state, and exchanges no code', async () => {
    s = await setup();
    const status = await signIn(s, headlessBrowser({ tamper: (u) => (u.searchParams.set('state', 'forged'), u) }));
    expect(status.state).not.toBe('signed-in');
    expect(status.lastError).toMatch(/state/);
    expect(s.as.grants.authorization_code).toBe(0);
  });

  it('refuses an answer from the wrong issuer (RFC 9207), and exchanges no code', async () => {
    s = await setup();
    const status = await signIn(s, headlessBrowser({ tamper: (u) => (u.searchParams.set('iss', 'https://attacker.example'), u) }));
    expect(status.state).not.toBe('signed-in');
    expect(status.lastError).toMatch(/iss/i);
    expect(s.as.grants.authorization_code).toBe(0);
  });

  it("never opens a sign-in page the server names that is not a web address: a file, or another app's link scheme", async () => {
    for (const page of ['file:///etc/passwd', 'ms-msdt:/id PCWDiagnostic /skip force', 'smb://attacker.example/share']) {
      // A hostile authorization server: discovery and registration as the SDK expects, then its page.
      const hostile = createServer(async (req, res) => {
        const origin = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
        if (req.url?.startsWith('/.well-known/')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ issuer: origin, authorization_endpoint: page, token_endpoint: `${origin}/token`, registration_endpoint: `${origin}/register`, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'] }));
        } else if (req.url === '/register') {
          const body = JSON.parse(await new Promise<string>((r) => { let b = ''; req.on('data', (d) => (b += d)).on('end', () => r(b)); }));
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ...body, client_id: 'hostile-client' }));
        } else res.writeHead(404).end();
      });
      await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
      const mcp = await startProtectedMcp(`http://127.0.0.1:${(hostile.address() as AddressInfo).port}`);
      const t = await tempHome({ mcpServers: { protected: { url: mcp.url } } });
      const { core, api } = await openCore(t.home);
      try {
        const started = await api.call('auth.login', { name: 'protected' }).catch((err: Error) => err);
        const [status] = (await waitFor(async () => {
          const now = (await api.call('auth.status', { name: 'protected' })).signIns;
          return now[0].state === 'signing-in' ? undefined : now;
        }, 'the sign-in to end'));
        expect(started instanceof Error ? undefined : started.authorizationUrl).toBeUndefined();
        expect(status.state).not.toBe('signed-in');
        expect(status.lastError).toMatch(/not a web address Gatehouse will open .*sign-in pages must be https/);
      } finally {
        await core.close();
        await mcp.close();
        hostile.closeAllConnections();
        await new Promise((r) => hostile.close(r));
        t.cleanup();
      }
    }
  });

  it('sends a PKCE challenge, so a code taken without its verifier is worthless', async () => {
    s = await setup();
    let stolen: URL | undefined;
    const status = await signIn(s, headlessBrowser({ tamper: (u) => ((stolen = new URL(u)), u.searchParams.set('state', 'x'), u) }));
    expect(status.state).not.toBe('signed-in');
    const clientId = s.as.authorizations[0].searchParams.get('client_id')!;
    const answer = await fetch(`${s.as.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: stolen!.searchParams.get('code')!, client_id: clientId, redirect_uri: `${stolen!.origin}${stolen!.pathname}` }),
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error?: string }).error).toBe('invalid_grant');
  });
});

describe.skipIf(!hasKeychain)('gatehouse connect', () => {
  const browserCommand = `${process.execPath} ${path.join(ROOT, 'test', 'fixtures', 'browser.mjs')}`;

  async function bridge(url: string, env: Record<string, string>) {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'connect', url, '--redirect-port', String(await freePort())], env: { ...(process.env as Record<string, string>), ...env }, stderr: 'pipe' });
    const stderr: string[] = [];
    transport.stderr?.on('data', (c: Buffer) => stderr.push(c.toString()));
    const client = new Client({ name: 'connect-test', version: '1.0.0' });
    await client.connect(transport);
    return { client, transport, stderr };
  }

  it('signs in through the browser, steps up for more scope, and stops on SIGTERM', async () => {
    const as = await startAuthServer();
    const mcp = await startProtectedMcp(as.issuer);
    const t = await tempHome();
    try {
      const { client, transport, stderr } = await bridge(mcp.url, { GATEHOUSE_HOME: t.home, BROWSER: browserCommand });
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['whoami', 'write_note']);
      expect(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).toBe('signed in as alice');
      expect(textOf(await client.callTool({ name: 'write_note', arguments: { text: 'hi' } }))).toBe('noted: hi');
      expect(as.authorizations).toHaveLength(2);
      expect(stderr.join('')).toMatch(/sign in to http:\/\/127\.0\.0\.1/);
      const pid = transport.pid!;
      process.kill(pid, 'SIGTERM');
      await waitFor(() => !alive(pid), 'the bridge to exit');
    } finally {
      await new KeychainSecretStore('Gatehouse sign-ins').list().then((names) => Promise.all(names.filter((n) => n.startsWith('sign-in:connect@')).map((n) => SIGN_INS.delete(n))));
      await mcp.close();
      await as.close();
      t.cleanup();
    }
  });

  it("brings over mcp-remote's saved tokens for the same URL, then removes its plaintext copy", async () => {
    s = await setup();
    await signIn(s);
    const { tokens } = await storedRecord();
    const store = mkdtempSync(path.join(os.tmpdir(), 'mcp-auth-'));
    const dir = path.join(store, 'mcp-remote-0.1.37');
    mkdirSync(dir, { recursive: true });
    const hash = createHash('md5').update(s.mcp.url).digest('hex');
    writeFileSync(path.join(dir, `${hash}_tokens.json`), JSON.stringify({ ...tokens, expires_in: 3600 }));
    try {
      const { client, transport, stderr } = await bridge(s.mcp.url, { GATEHOUSE_HOME: s.home, BROWSER: 'false', MCP_REMOTE_CONFIG_DIR: store });
      expect(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).toBe('signed in as alice');
      expect(s.as.authorizations).toHaveLength(1);
      expect(stderr.join('')).toMatch(/Brought over the sign-in mcp-remote saved/);
      expect(existsSync(path.join(dir, `${hash}_tokens.json`))).toBe(false);
      await transport.close();
    } finally {
      await new KeychainSecretStore('Gatehouse sign-ins').list().then((names) => Promise.all(names.filter((n) => n.startsWith('sign-in:connect@')).map((n) => SIGN_INS.delete(n))));
      rmSync(store, { recursive: true, force: true });
    }
  });

  let s: Setup | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });
});
