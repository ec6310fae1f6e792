// The gateway as an AI client sees it: `gatehouse serve` with real servers from npm, driven by the SDK's Client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { connectClient, servers, serveWithClient, startServe, tempHome, textOf, type RunningGatehouse } from './helpers.js';

describe('gateway over Streamable HTTP (search mode)', () => {
  let gh: RunningGatehouse;
  let client: Client;
  let close: () => Promise<void>;
  const files = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-fs-'));
  writeFileSync(path.join(files, 'notes.txt'), 'the quick brown fox');

  beforeAll(async () => {
    ({ gh, client, close } = await serveWithClient({
      maxResultChars: 2000,
      mcpServers: { everything: servers.everything, memory: servers.memory, files: servers.filesystem(files) },
    }));
  });
  afterAll(() => close?.());

  it('lists only the meta-tools and the management tool', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['call_tool', 'describe_tool', 'read_result', 'search_tools', 'upstream_servers']);
  });

  it('finds, describes and calls a tool of a stdio server', async () => {
    const found = JSON.parse(textOf(await client.callTool({ name: 'search_tools', arguments: { query: 'read the contents of a text file' } })));
    const ids = found.results.map((r: { id: string }) => r.id);
    expect(ids.slice(0, 5)).toContain('files__read_text_file');
    expect(found.results[0]).toMatchObject({ id: expect.any(String), description: expect.any(String), params: expect.any(String) });

    const described = JSON.parse(textOf(await client.callTool({ name: 'describe_tool', arguments: { id: 'files__read_text_file' } })));
    expect(described.inputSchema.properties).toHaveProperty('path');

    const read = await client.callTool({ name: 'call_tool', arguments: { id: 'files__read_text_file', arguments: { path: path.join(files, 'notes.txt') } } });
    expect(textOf(read)).toContain('the quick brown fox');
  });

  it('calls tools of two servers in one session', async () => {
    const echo = await client.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: 'hi there' } } });
    expect(textOf(echo)).toBe('Echo: hi there');
    await client.callTool({ name: 'call_tool', arguments: { id: 'memory__create_entities', arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }] } } });
    const graph = await client.callTool({ name: 'call_tool', arguments: { id: 'memory__read_graph', arguments: {} } });
    expect(textOf(graph)).toContain('wrote the first program');
  });

  it('answers an empty or nonsense search with the servers and their tool counts', async () => {
    for (const query of ['', 'zzqxv wubbalubba']) {
      const r = JSON.parse(textOf(await client.callTool({ name: 'search_tools', arguments: { query } })));
      expect(r.results).toEqual([]);
      expect(r.hint).toBeTruthy();
      expect(r.servers).toEqual(expect.arrayContaining([expect.objectContaining({ server: 'memory', tools: 9 })]));
    }
  });

  it('answers an unknown id with a clear error, not a crash', async () => {
    const result = await client.callTool({ name: 'call_tool', arguments: { id: 'nosuch__tool', arguments: {} } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/No server "nosuch"/);
  });

  it('cuts a long result and pages through the rest with read_result', async () => {
    const long = 'x'.repeat(4500) + 'END';
    const first = await client.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: long } } });
    const text = textOf(first);
    expect(text.length).toBeLessThan(2600);
    const handle = /"handle":"(r_[0-9a-f]+)","offset":(\d+)/.exec(text);
    expect(handle).not.toBeNull();
    let all = (first.content as { text: string }[])[0].text;
    let offset = Number(handle![2]);
    for (let i = 0; i < 10; i++) {
      const page = await client.callTool({ name: 'read_result', arguments: { handle: handle![1], offset } });
      const parts = page.content as { text: string }[];
      all += parts[0].text;
      const next = /"offset":(\d+)/.exec(parts[1]?.text ?? '');
      if (!next) break;
      offset = Number(next[1]);
    }
    expect(all).toBe(`Echo: ${long}`);
  });

  it('passes prompts and resources through', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain('everything__simple-prompt');
    const prompt = await client.getPrompt({ name: 'everything__simple-prompt' });
    expect(prompt.messages.length).toBeGreaterThan(0);
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const first = resources[0];
    const read = await client.readResource({ uri: first.uri });
    expect(read.contents[0].uri).toBe(first.uri);
  });

  it('refuses requests without the token, with the wrong Host, or from a foreign Origin', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const noToken = await fetch(gh.url, { method: 'POST', headers, body });
    expect(noToken.status).toBe(401);
    expect((await noToken.json()).message).toMatch(/Bearer/);
    const wrong = await fetch(gh.url, { method: 'POST', headers: { ...headers, authorization: 'Bearer nope' }, body });
    expect(wrong.status).toBe(401);
    const foreign = await fetch(gh.url, { method: 'POST', headers: { ...headers, authorization: `Bearer ${gh.token}`, origin: 'https://evil.example' }, body });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).message).toMatch(/Origin/);
    // A DNS-rebinding page reaches 127.0.0.1 under its own host name.
    const rebound = await rawRequest(gh.port, { host: `evil.example:${gh.port}`, authorization: `Bearer ${gh.token}`, ...headers }, body);
    expect(rebound.status).toBe(403);
  });
});

describe('gateway in direct mode', () => {
  it('lists every tool as <server>__<tool> and calls it', async () => {
    const t = await tempHome({ mode: 'direct', mcpServers: { everything: servers.everything, memory: servers.memory } });
    const gh = await startServe(t.home);
    try {
      const client = await connectClient(gh.url, gh.token);
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      expect(names).toContain('everything__echo');
      expect(names).toContain('memory__read_graph');
      expect(names).not.toContain('search_tools');
      expect(textOf(await client.callTool({ name: 'everything__get-sum', arguments: { a: 2, b: 3 } }))).toContain('5');
      await client.close();
    } finally {
      await gh.stop();
      t.cleanup();
    }
  });
});

function rawRequest(port: number, headers: Record<string, string>, body: string): Promise<{ status: number }> {
  // fetch() does not let a caller set Host, so speak HTTP/1.1 directly.
  return import('node:http').then(
    (http) =>
      new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0 });
        });
        req.on('error', reject);
        req.end(body);
      }),
  );
}

describe('forgiving call_tool input', () => {
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ client, close } = await serveWithClient({ mcpServers: { everything: servers.everything, memory: servers.memory } }));
  });
  afterAll(() => close?.());
  const call = (args: Record<string, unknown>) => client.callTool({ name: 'call_tool', arguments: args });

  it('takes arguments as an object, as a JSON string, or wrapped once more', async () => {
    expect(textOf(await call({ id: 'everything__echo', arguments: { message: 'a' } }))).toBe('Echo: a');
    expect(textOf(await call({ id: 'everything__echo', arguments: '{"message":"b"}' }))).toBe('Echo: b');
    expect(textOf(await call({ id: 'everything__echo', arguments: { arguments: { message: 'c' } } }))).toBe('Echo: c');
  });

  it('answers an unknown id with the closest ids', async () => {
    for (const id of ['everything__ecco', 'everything_echo', 'memory__read-graph']) {
      const r = await call({ id, arguments: {} });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/Did you mean "(everything__echo|memory__read_graph)"/);
    }
  });

  it("returns the tool's schema with an argument error", async () => {
    const r = await call({ id: 'everything__get-sum', arguments: { a: 'two' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/input schema: \{.*"a"/);
  });
});
