// One server's own endpoint: /mcp/servers/<name> and `gatehouse stdio --server <name>` expose one approved
// server's tools, prompts and resources under their own names, with Gatehouse's trust in front.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, servers, startServe, tempHome, textOf, type RunningGatehouse } from './helpers.js';

let gh: RunningGatehouse;
let home: string;
let cleanup: () => void;
beforeAll(async () => {
  const t = await tempHome({ mcpServers: { everything: servers.everything, memory: servers.memory } });
  home = t.home;
  cleanup = t.cleanup;
  await runCli(['servers', 'add', 'fresh', '--', ...[servers.memory.command, ...servers.memory.args]], { GATEHOUSE_HOME: home });
  gh = await startServe(home);
});
afterAll(async () => {
  await gh?.stop();
  cleanup?.();
});

async function endpoint(name: string, era?: string): Promise<Client> {
  const client = new Client({ name: 'one-server', version: '1' }, era ? { versionNegotiation: { mode: { pin: era } } } : {});
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${gh.port}/mcp/servers/${name}`), { requestInit: { headers: { Authorization: `Bearer ${gh.token}` } } }));
  return client;
}

describe("one server's own endpoint", () => {
  it('lists and calls that server alone, under its own names, in both protocol eras', async () => {
    for (const era of [undefined, '2026-07-28']) {
      const client = await endpoint('everything', era);
      try {
        const names = (await client.listTools()).tools.map((t) => t.name);
        expect(names).toContain('echo');
        expect(names).not.toContain('search_tools');
        expect(names.some((n) => n.includes('__'))).toBe(false);
        expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'own names' } }))).toBe('Echo: own names');
        expect((await client.listPrompts()).prompts.map((p) => p.name)).toContain('simple-prompt');
        const resources = (await client.listResources()).resources;
        expect(resources.length).toBeGreaterThan(0);
        expect((await client.readResource({ uri: resources[0].uri })).contents.length).toBeGreaterThan(0);
      } finally {
        await client.close();
      }
    }
  });

  it('keeps other servers out of it', async () => {
    const client = await endpoint('memory');
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('echo');
      const other = await client.callTool({ name: 'echo', arguments: { message: 'x' } });
      expect(other.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('refuses a quarantined or unknown server with the reason', async () => {
    await expect(endpoint('fresh')).rejects.toThrow(/quarantined/);
    await expect(endpoint('nope')).rejects.toThrow(/No server \\"nope\\" is configured/);
  });

  it('serves one server over gatehouse stdio --server', async () => {
    const client = new Client({ name: 'one-server', version: '1' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'stdio', '--server', 'memory'], env: { ...process.env, GATEHOUSE_HOME: home } as Record<string, string>, stderr: 'ignore' }));
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('read_graph');
      expect(names).not.toContain('call_tool');
      expect((await client.callTool({ name: 'read_graph', arguments: {} })).isError).toBeFalsy();
    } finally {
      await client.close();
    }
    const refused = await runCli(['stdio', '--server', 'fresh'], { GATEHOUSE_HOME: home });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/quarantined/);
  });
});
