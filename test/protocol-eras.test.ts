// Clients of both protocol eras on the same endpoint: the session-based revisions (2025-11-25 and older)
// and the stateless 2026-07-28 revision, whose requests carry their own envelope and need no initialize.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi, BIN, connectClient, ERAS, rawMcpSession, runCli, servers, startServe, tempHome, textOf, waitFor, type RunningGatehouse } from './helpers.js';

let gh: RunningGatehouse;
let cleanup: () => void;
let home: string;
beforeAll(async () => {
  const t = await tempHome({ mcpServers: { everything: servers.everything } });
  cleanup = t.cleanup;
  home = t.home;
  gh = await startServe(t.home);
});
afterAll(async () => {
  await gh?.stop();
  cleanup?.();
});

async function modernClient(): Promise<Client> {
  const client = new Client({ name: 'modern-client', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(gh.url), { requestInit: { headers: { Authorization: `Bearer ${gh.token}` } } }));
  return client;
}

describe('both protocol eras on one endpoint', () => {
  it('serves a 2026-07-28 client: lists, searches and calls with no session', async () => {
    const client = await modernClient();
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['search_tools', 'describe_tool', 'call_tool']));
      const found = JSON.parse(textOf(await client.callTool({ name: 'search_tools', arguments: { query: 'echo a message' } })));
      expect(found.results.map((r: { id: string }) => r.id)).toContain('everything__echo');
      expect(textOf(await client.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: 'from 2026' } } }))).toBe('Echo: from 2026');
    } finally {
      await client.close();
    }
  });

  it('tells a 2026-07-28 client of list changes on its subscriptions/listen stream', async () => {
    const client = await modernClient();
    const own = await connectClient(`${gh.url}/servers/everything`, gh.token, {}, undefined, '2026-07-28');
    const heard: string[] = [];
    client.setNotificationHandler('notifications/prompts/list_changed', () => void heard.push('prompts'));
    own.setNotificationHandler('notifications/tools/list_changed', () => void heard.push('own tools'));
    const listening = [await client.listen({ promptsListChanged: true, toolsListChanged: true }), await own.listen({ toolsListChanged: true })];
    try {
      const env = { GATEHOUSE_HOME: home };
      expect((await runCli(['servers', 'add', 'memory', '--', ...[servers.memory.command, ...servers.memory.args]], env)).code).toBe(0);
      expect((await runCli(['servers', 'approve', 'memory', '--yes'], env)).code).toBe(0);
      await waitFor(() => heard.includes('prompts') && heard.includes('own tools'), 'list changes on both listen streams');
    } finally {
      for (const l of listening) await l.close();
      await client.close();
      await own.close();
    }
  });

  it('still serves a session-based client beside it', async () => {
    const client = await connectClient(gh.url, gh.token);
    try {
      expect(textOf(await client.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: 'from 2025' } } }))).toBe('Echo: from 2025');
    } finally {
      await client.close();
    }
  });
});

describe('both protocol eras over gatehouse stdio', () => {
  it('serves a 2026-07-28 client that spawns gatehouse stdio', async () => {
    const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
    const t = await tempHome({ mcpServers: { everything: servers.everything } });
    const client = new Client({ name: 'modern-client', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    try {
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'stdio'], env: { ...process.env, GATEHOUSE_HOME: t.home } as Record<string, string>, stderr: 'ignore' }));
      expect(textOf(await client.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: 'over stdio' } } }))).toBe('Echo: over stdio');
      // List changes reach its subscriptions/listen stream.
      const heard: string[] = [];
      client.setNotificationHandler('notifications/prompts/list_changed', () => void heard.push('prompts'));
      const listening = await client.listen({ promptsListChanged: true });
      const env = { GATEHOUSE_HOME: t.home };
      expect((await runCli(['servers', 'disable', 'everything'], env)).code).toBe(0);
      await waitFor(() => heard.includes('prompts'), 'a list change on the listen stream');
      await listening.close();
    } finally {
      await client.close();
      t.cleanup();
    }
  });

  it("subscribes a listen stream's resources upstream, and passes their updates on", async () => {
    const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
    const t = await tempHome({ mode: 'direct', mcpServers: { fixture: servers.fixture('conformance-server.mjs', '--poisoned') } });
    const client = new Client({ name: 'modern-client', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    try {
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'stdio'], env: { ...process.env, GATEHOUSE_HOME: t.home } as Record<string, string>, stderr: 'ignore' }));
      const updated: string[] = [];
      client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
      const uri = 'test://watched-resource';
      // A resource held back (the scanner flags what it says) is not subscribed for the stream.
      const listening = await client.listen({ resourceSubscriptions: [uri, 'test://poisoned'] });
      expect(textOf(await client.callTool({ name: 'fixture__update_subscribed_resources', arguments: {} }))).toBe(`Updated: ${uri}`);
      await waitFor(() => updated.includes(uri), 'the resource update on the listen stream');
      await listening.close();
    } finally {
      await client.close();
      t.cleanup();
    }
  });
});

describe('a call its client gives up on', () => {
  for (const era of ERAS) {
    it(`is withdrawn from the approvals when a ${era} client cancels it while it waits for a yes`, async () => {
      const t = await tempHome({ mcpServers: { memory: servers.memory } });
      expect((await runCli(['servers', 'approve', 'memory', '--yes'], { GATEHOUSE_HOME: t.home })).code).toBe(0);
      const running = await startServe(t.home);
      const client = await connectClient(running.url, running.token, {}, undefined, era);
      try {
        const api = adminApi(t.home);
        const waiting = async () => (await api.call('approvals.list', {})).requests.filter((r) => r.tool === 'delete_entities');
        const givingUp = new AbortController();
        const call = client.callTool({ name: 'call_tool', arguments: { id: 'memory__delete_entities', arguments: { entityNames: ['kept'] } } }, { signal: givingUp.signal });
        const [asked] = await waitFor(async () => ((await waiting()).length > 0 ? await waiting() : undefined), 'the call in the approvals');
        // The person sees which client asks.
        expect(asked.client).toBe('gatehouse-test 1.0.0');
        givingUp.abort('the user stopped the agent');
        await expect(call).rejects.toThrow();
        // On the 2026-07-28 wire the closed stream is the cancellation; before it, notifications/cancelled.
        await waitFor(async () => (await waiting()).length === 0, 'the call to leave the approvals', 5_000);
        const record = await waitFor(
          async () => (await api.call('activity.query', { kind: 'call', tool: 'delete_entities' })).records[0],
          'the withdrawn call in the activity log',
        );
        expect(record).toMatchObject({ status: 'cancelled', client: 'gatehouse-test 1.0.0', error: expect.stringContaining('the client withdrew it before anyone answered') });
        // The terminal that printed the commands to answer it says they would find nothing now.
        await waitFor(() => /\[memory\] the call to delete_entities \(.+\) no longer waits/.test(running.output()), 'the note that it no longer waits');
      } finally {
        await client.close();
        await running.stop();
        t.cleanup();
      }
    });
  }

  it('is withdrawn when a session-based client drops the stream its answer was to come on', async () => {
    // Gatehouse cannot resume a stream, so an answer whose stream is gone can reach no one: a person's yes to it
    // would run the call for nobody.
    const t = await tempHome({ mcpServers: { memory: servers.memory } });
    expect((await runCli(['servers', 'approve', 'memory', '--yes'], { GATEHOUSE_HOME: t.home })).code).toBe(0);
    const running = await startServe(t.home);
    const session = await rawMcpSession(running.url, running.token);
    try {
      const api = adminApi(t.home);
      const waiting = async () => (await api.call('approvals.list', {})).requests.filter((r) => r.tool === 'delete_entities');
      const dropped = new AbortController();
      const post = session.post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'call_tool', arguments: { id: 'memory__delete_entities', arguments: { entityNames: ['kept'] } } } }, dropped.signal);
      await waitFor(async () => (await waiting()).length > 0, 'the call in the approvals');
      dropped.abort();
      await expect(post).rejects.toThrow();
      await waitFor(async () => (await waiting()).length === 0, 'the call to leave the approvals', 5_000);
      const record = await waitFor(async () => (await api.call('activity.query', { kind: 'call', tool: 'delete_entities' })).records[0], 'the withdrawn call in the activity log');
      expect(record).toMatchObject({ status: 'cancelled', error: expect.stringContaining('the client withdrew it before anyone answered') });
      // The session goes on.
      expect((await session.call('tools/list', {})).result?.tools).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'call_tool' })]));
    } finally {
      await running.stop();
      t.cleanup();
    }
  });
});
