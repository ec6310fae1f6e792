// Remote upstreams: server-everything over Streamable HTTP and over legacy SSE, with `type` given and
// left out (a url without a type tries Streamable HTTP, then falls back to SSE).
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../src-shared/api/index.js';
import type { Gatehouse } from '../src-main/core/index.js';
import { freePort, openCore, startEverything, tempHome, textOf } from './helpers.js';

describe('remote upstream servers', () => {
  let sse: { port: number; child: ChildProcess };
  let http: { port: number; child: ChildProcess };
  let core: Gatehouse;
  let api: ApiClient;
  let cleanup: () => void;

  beforeAll(async () => {
    [sse, http] = await Promise.all([startEverything('sse'), startEverything('streamableHttp')]);
    const t = await tempHome({
      mcpServers: {
        streamable: { type: 'http', url: `http://127.0.0.1:${http.port}/mcp` },
        streamableUntyped: { url: `http://127.0.0.1:${http.port}/mcp` },
        legacy: { type: 'sse', url: `http://127.0.0.1:${sse.port}/sse` },
        legacyUntyped: { url: `http://127.0.0.1:${sse.port}/sse` },
      },
    });
    cleanup = t.cleanup;
    ({ core, api } = await openCore(t.home));
  });

  afterAll(async () => {
    await core?.close();
    sse?.child.kill();
    http?.child.kill();
    cleanup?.();
  });

  for (const name of ['streamable', 'streamableUntyped', 'legacy', 'legacyUntyped']) {
    it(`lists and calls tools over ${name}`, async () => {
      const [refreshed] = (await api.call('catalog.refresh', { servers: [name] })).results;
      expect(refreshed).toMatchObject({ server: name, ok: true });
      expect((await api.call('tools.list', { server: name })).tools.map((t) => t.name)).toContain('echo');
      const { result } = await api.call('tools.call', { id: `${name}__echo`, arguments: { message: `via ${name}` } });
      expect(textOf(result)).toBe(`Echo: via ${name}`);
      expect((await api.call('servers.list', {})).servers.find((s) => s.name === name)!.state).toBe('ready');
    });
  }

  it('reports an unreachable url as an error a person can act on', async () => {
    const port = await freePort();
    await api.call('servers.add', { name: 'gone', config: { url: `http://127.0.0.1:${port}/mcp` } });
    await api.call('servers.approve', { name: 'gone' });
    await expect(api.call('tools.call', { id: 'gone__echo', arguments: {} })).rejects.toThrow(/could not be started/);
    const status = (await api.call('servers.list', {})).servers.find((s) => s.name === 'gone')!;
    expect(status.state).toBe('error');
    expect(status.reason).toBe(`nothing answers at 127.0.0.1:${port} (connection refused): is the server running, on that port?`);
  });

  it('names a port fetch will not connect to, rather than "fetch failed"', async () => {
    await api.call('servers.add', { name: 'mailport', config: { url: 'http://127.0.0.1:25/mcp' } });
    await api.call('servers.approve', { name: 'mailport' });
    await expect(api.call('tools.call', { id: 'mailport__echo', arguments: {} })).rejects.toThrow(/could not be started/);
    const status = (await api.call('servers.list', {})).servers.find((s) => s.name === 'mailport')!;
    expect(status.reason).toBe('fetch does not connect to the port of 127.0.0.1:25, one kept for another protocol: serve it on another port');
  });

  it('reports an address that is not the MCP endpoint by its HTTP status, not the page it sent', async () => {
    await api.call('servers.add', { name: 'astray', config: { url: `http://127.0.0.1:${http.port}/not-mcp` } });
    await api.call('servers.approve', { name: 'astray' });
    await expect(api.call('tools.call', { id: 'astray__echo', arguments: {} })).rejects.toThrow(/HTTP 404/);
    const status = (await api.call('servers.list', {})).servers.find((s) => s.name === 'astray')!;
    expect(status.reason).toBe("the server answered HTTP 404: is the address the server's MCP endpoint (often ending in /mcp or /sse)?");
  });
});
