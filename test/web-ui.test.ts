// The window in a browser (web mode): entry through a one-time login address, a session cookie that a
// page of another origin cannot use, and a gateway token a person can rotate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gatehouse } from '../src-main/core/index.js';
import { tempHome } from './helpers.js';

let core: Gatehouse;
let base: string;
let cleanup: () => void;

beforeAll(async () => {
  const t = await tempHome({ mcpServers: {} });
  cleanup = t.cleanup;
  core = await Gatehouse.open({ home: t.home, env: { GATEHOUSE_SECRET_STORE: 'memory' } });
  const { port } = await core.listen(0);
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await core?.close();
  cleanup?.();
});

async function signIn(): Promise<string> {
  const res = await fetch(core.uiLoginUrl()!, { redirect: 'manual' });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/ui/');
  const cookie = res.headers.get('set-cookie')!;
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  return cookie.split(';')[0];
}

const own = () => ({ origin: base, 'sec-fetch-site': 'same-origin' });

describe('web mode', () => {
  it('serves the built window at /ui with a strict content security policy', async () => {
    const res = await fetch(`${base}/ui/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root">');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await fetch(`${base}/ui/../../config.json`)).status).not.toBe(200);
    expect((await fetch(`${base}/ui/assets/nothing-here.js`)).status).toBe(404);
  });

  it('a login address works once, and the session it gives calls the admin API from the window\'s own origin', async () => {
    const url = core.uiLoginUrl()!;
    const first = await fetch(url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const again = await fetch(url, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('gatehouse ui');
    const cookie = first.headers.get('set-cookie')!.split(';')[0];
    const res = await fetch(`${base}/api/status.get`, { method: 'POST', headers: { cookie, ...own(), 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { version: string }).version).toMatch(/^\d+\./);
  });

  it('a page of another origin can neither read nor change anything with the cookie', async () => {
    const cookie = await signIn();
    const attempts: Record<string, string>[] = [
      { cookie },
      { cookie, origin: 'http://127.0.0.1:1' },
      { cookie, origin: 'http://evil.example' },
      { cookie, origin: base, 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${base}/api/servers.add`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'sneaky', config: { command: 'echo' } }),
      });
      expect([401, 403]).toContain(res.status);
    }
    const events = await fetch(`${base}/api/events`, { headers: { cookie, 'sec-fetch-site': 'same-site' } });
    expect(events.status).toBe(401);
    expect(core.config().mcpServers).not.toHaveProperty('sneaky');
    const forged = await fetch(`${base}/api/status.get`, { method: 'POST', headers: { cookie: 'gatehouse_session=made-up', ...own() }, body: '{}' });
    expect(forged.status).toBe(401);
  });

  it('logging out ends the session', async () => {
    const cookie = await signIn();
    expect((await fetch(`${base}/ui/logout`, { method: 'POST', headers: { cookie, ...own() } })).status).toBe(204);
    const res = await fetch(`${base}/api/status.get`, { method: 'POST', headers: { cookie, ...own() }, body: '{}' });
    expect(res.status).toBe(401);
  });

  it('rotating the gateway token refuses the old one at /mcp at once', async () => {
    const cookie = await signIn();
    const call = async (method: string) =>
      (await fetch(`${base}/api/${method}`, { method: 'POST', headers: { cookie, ...own() }, body: '{}' })).json() as Promise<{ token: string }>;
    const old = (await call('gateway.connection')).token;
    const { token } = await call('gateway.rotateToken');
    expect(token).not.toBe(old);
    expect((await call('gateway.connection')).token).toBe(token);
    const init = (t: string) =>
      fetch(`${base}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
      });
    expect((await init(old)).status).toBe(401);
    expect((await init(token)).status).toBe(200);
  });
});
