// Signing in to an OAuth-protected MCP server, with real parts: oidc-provider as the authorization server,
// the SDK's server behind a JWT check as the resource, the OS keychain for tokens, and a headless browser
// that fills in the login form. Through the admin API, as the window and the CLI use it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../src-shared/api/index.js';
import type { Gatehouse } from '../src-main/core/gatehouse.js';
import { KeychainSecretStore } from '../src-main/core/secrets/index.js';
import { openCore, refusal, tempHome, textOf, waitFor } from './helpers.js';
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

async function setup(options: { accessTokenTTL?: number; oauth?: object } = {}): Promise<Setup> {
  const as = await startAuthServer(options);
  const mcp = await startProtectedMcp(as.issuer);
  const t = await tempHome({ mcpServers: { protected: { url: mcp.url, ...(options.oauth ? { oauth: options.oauth } : {}) } } });
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
  });
});
