// Notifications reach the clients they belong to: log messages a server writes while a call runs go to the
// client that made the call, not to every connected client; a change of the tool list's shape, to all.
import type { Client } from '@modelcontextprotocol/client';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi, connectClient, servers, startServe, tempHome, textOf, waitFor, type RunningGatehouse } from './helpers.js';

let gh: RunningGatehouse;
let t: { home: string; cleanup: () => void };
beforeAll(async () => {
  t = await tempHome({ mode: 'direct', mcpServers: { faulty: servers.fixture('faulty-server.mjs') } });
  gh = await startServe(t.home);
});
afterAll(async () => {
  await gh?.stop();
  t?.cleanup();
});

async function listening(): Promise<{ client: Client; logs: { logger?: string; data?: unknown }[] }> {
  const logs: { logger?: string; data?: unknown }[] = [];
  const client = await connectClient(gh.url, gh.token, {}, (c) =>
    (c.setNotificationHandler as (m: string, h: (n: { params: { logger?: string; data?: unknown } }) => void) => void)('notifications/message', (n) => logs.push(n.params)),
  );
  return { client, logs };
}

describe('notifications', () => {
  it("sends the log messages written during a call to the caller's session alone", async () => {
    const caller = await listening();
    const other = await listening();
    try {
      expect(textOf(await caller.client.callTool({ name: 'faulty__flood', arguments: { count: 5 } }))).toBe('flooded');
      await waitFor(() => caller.logs.length === 5, 'the caller to hear the five log messages');
      expect(caller.logs.map((l) => l.logger)).toEqual(['faulty', 'faulty', 'faulty', 'faulty', 'faulty']);
      await new Promise((r) => setTimeout(r, 200));
      expect(other.logs).toEqual([]);
    } finally {
      await caller.client.close();
      await other.client.close();
    }
  });
});

describe('a change of what agents see, made in the settings', () => {
  it('tells every connected client, of either protocol era, that its tool list changed, and the new list is the new shape', async () => {
    const api = adminApi(t.home);
    const clients = await Promise.all((['2025-11-25', '2026-07-28'] as const).map(async (era) => {
      const heard: string[] = [];
      const client = await connectClient(gh.url, gh.token, {}, (c) => c.setNotificationHandler('notifications/tools/list_changed', () => void heard.push('tools')), era);
      // A 2026-07-28 client hears of changes on a stream it opens for them.
      const listening = era === '2026-07-28' ? await client.listen({ toolsListChanged: true }) : undefined;
      return { client, heard, listening };
    }));
    try {
      const names = async (client: Client) => (await client.listTools()).tools.map((tool) => tool.name);
      for (const { client } of clients) expect(await names(client)).toContain('faulty__flood');
      // Direct to search: every tool by name becomes the meta-tools.
      await api.call('settings.set', { mode: 'search' });
      for (const { client, heard } of clients) {
        await waitFor(() => heard.length === 1, 'the list change heard');
        expect(await names(client)).toEqual(expect.arrayContaining(['search_tools', 'describe_tool', 'call_tool']));
        expect(await names(client)).not.toContain('faulty__flood');
      }
      // The tool that manages servers, hidden.
      expect(await names(clients[0]!.client)).toContain('upstream_servers');
      writeFileSync(path.join(t.home, 'config.json'), JSON.stringify({ ...JSON.parse(readFileSync(path.join(t.home, 'config.json'), 'utf8')), disableManagement: true }));
      for (const { client, heard } of clients) {
        await waitFor(() => heard.length === 2, 'the second list change heard');
        expect(await names(client)).not.toContain('upstream_servers');
      }
    } finally {
      await api.call('settings.set', { mode: 'direct' }).catch(() => undefined);
      for (const { client, listening } of clients) {
        await listening?.close();
        await client.close();
      }
    }
  });
});
