// Notifications reach the clients they belong to: log messages a server writes while a call runs go to the
// client that made the call, not to every connected client.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, servers, startServe, tempHome, textOf, waitFor, type RunningGatehouse } from './helpers.js';

let gh: RunningGatehouse;
let cleanup: () => void;
beforeAll(async () => {
  const t = await tempHome({ mode: 'direct', mcpServers: { faulty: servers.fixture('faulty-server.mjs') } });
  cleanup = t.cleanup;
  gh = await startServe(t.home);
});
afterAll(async () => {
  await gh?.stop();
  cleanup?.();
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
