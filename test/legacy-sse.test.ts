// Clients that predate Streamable HTTP speak the HTTP+SSE transport of the 2024-11-05 revision: a GET of
// <endpoint>/sse opens the session's stream, and messages are POSTed to the address its first event names.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, SSEClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi, freePort, ROOT, runCli, servers, startServe, tempHome, textOf, waitFor, type RunningGatehouse } from './helpers.js';

let gh: RunningGatehouse;
let home: string;
let cleanup: () => void;
beforeAll(async () => {
  const t = await tempHome({ mcpServers: { everything: servers.everything, memory: servers.memory } });
  home = t.home;
  cleanup = t.cleanup;
  for (const name of ['everything', 'memory']) expect((await runCli(['servers', 'approve', name, '--yes'], { GATEHOUSE_HOME: home })).code).toBe(0);
  gh = await startServe(home);
});
afterAll(async () => {
  await gh?.stop();
  cleanup?.();
});

async function sseClient(path = '/sse', token = gh.token): Promise<Client> {
  const client = new Client({ name: 'sse-era-client', version: '0.9' }, { supportedProtocolVersions: ['2024-11-05'] });
  await client.connect(new SSEClientTransport(new URL(`${gh.url}${path}`), { authProvider: { token: async () => token } }));
  return client;
}

describe('the HTTP+SSE transport of 2024-11-05', () => {
  it('serves the meta-tools, searches and calls, on the gateway endpoint', async () => {
    const client = await sseClient();
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2024-11-05');
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(expect.arrayContaining(['search_tools', 'call_tool']));
      const found = JSON.parse(textOf(await client.callTool({ name: 'search_tools', arguments: { query: 'echo a message' } })));
      expect(found.results.map((r: { id: string }) => r.id)).toContain('everything__echo');
      expect(textOf(await client.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: 'over SSE' } } }))).toBe('Echo: over SSE');
    } finally {
      await client.close();
    }
  });

  it("serves one server's own endpoint under its own names", async () => {
    const client = await sseClient('/servers/everything/sse');
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('echo');
      expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'own' } }))).toBe('Echo: own');
    } finally {
      await client.close();
    }
  });

  it('refuses a wrong token, a session of another endpoint, and a server that is not there', async () => {
    await expect(sseClient('/sse', 'not-the-token')).rejects.toThrow();
    const open = await fetch(`${gh.url}/sse`, { headers: { Authorization: `Bearer ${gh.token}` } });
    const reader = open.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const address = /^event: endpoint\ndata: (.+)$/m.exec(first)?.[1];
    expect(address).toMatch(/^\/mcp\/messages\?sessionId=[\w-]+$/);
    const sessionId = new URL(address!, gh.url).searchParams.get('sessionId');
    const post = (path: string) =>
      fetch(`${new URL(gh.url).origin}${path}?sessionId=${sessionId}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${gh.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
    expect((await post('/mcp/servers/everything/messages')).status).toBe(404);
    expect((await post('/mcp/messages')).status).toBe(202);
    await reader.cancel();
    const nowhere = await fetch(`${gh.url}/servers/nowhere/sse`, { headers: { Authorization: `Bearer ${gh.token}` } });
    expect(nowhere.status).toBe(404);
    expect(((await nowhere.json()) as { error: { message: string } }).error.message).toBe('No server "nowhere" is configured in Gatehouse.');
  });

  it('serves a client we did not write: mcp-hub, aggregating this Gatehouse as a remote server', async () => {
    const config = path.join(home, 'mcp-hub.json');
    writeFileSync(config, JSON.stringify({ mcpServers: { gatehouse: { url: `${gh.url}/sse`, headers: { Authorization: `Bearer ${gh.token}` } } } }));
    const port = await freePort();
    const hub = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'mcp-hub', 'dist', 'cli.js'), '--port', String(port), '--config', config], {
      stdio: 'ignore',
      env: { ...process.env, XDG_STATE_HOME: home, XDG_CONFIG_HOME: home },
    });
    const client = new Client({ name: 'through-mcp-hub', version: '1' });
    try {
      // mcp-hub serves its own aggregate over SSE at /mcp, once it has connected to its servers.
      await waitFor(async () => client.connect(new SSEClientTransport(new URL(`http://127.0.0.1:${port}/mcp`))).then(() => true, () => false), 'mcp-hub to listen');
      const names = await waitFor(async () => {
        const tools = (await client.listTools()).tools.map((t) => t.name);
        return tools.includes('gatehouse__call_tool') ? tools : undefined;
      }, "Gatehouse's meta-tools in mcp-hub");
      expect(names).toContain('gatehouse__search_tools');
      const answer = await client.callTool({ name: 'gatehouse__call_tool', arguments: { id: 'everything__echo', arguments: { message: 'through mcp-hub' } } });
      expect(textOf(answer)).toBe('Echo: through mcp-hub');
      // mcp-hub serves SSE at /mcp, an address that does not say so: `gatehouse connect` finds it out.
      const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'c', version: '1' } } };
      const stdin = [init, { jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }].map((m) => JSON.stringify(m)).join('\n');
      const bridged = await runCli(['connect', `http://127.0.0.1:${port}/mcp`, '--no-open'], { GATEHOUSE_HOME: home, GATEHOUSE_SECRET_STORE: 'memory' }, `${stdin}\n`);
      const listed = bridged.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id?: number; result?: { tools?: { name: string }[] } });
      expect(listed.find((m) => m.id === 2)?.result?.tools?.map((t) => t.name), `${bridged.stdout}\n${bridged.stderr}`).toContain('gatehouse__call_tool');
      expect(bridged.stderr).toMatch(/it speaks the older HTTP\+SSE transport/);
    } finally {
      await client.close().catch(() => undefined);
      hub.kill();
    }
  });

  it('withdraws a call waiting for a yes when its client closes the stream', async () => {
    const client = await sseClient();
    const api = adminApi(home);
    const waiting = async () => (await api.call('approvals.list', {})).requests.filter((r) => r.tool === 'delete_entities');
    void client.callTool({ name: 'call_tool', arguments: { id: 'memory__delete_entities', arguments: { entityNames: ['kept'] } } }).catch(() => undefined);
    const [asked] = await waitFor(async () => ((await waiting()).length ? await waiting() : undefined), 'the call in the approvals');
    expect(asked.client).toBe('sse-era-client 0.9');
    await client.close();
    await waitFor(async () => (await waiting()).length === 0, 'the call to leave the approvals', 5_000);
  });
});
