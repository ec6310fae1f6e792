// Connecting AI clients, on a home holding each client's config file in its real format (with comments and
// settings unrelated to MCP): detection, a preview diff, connect and disconnect touching only Gatehouse's
// entry, undo byte for byte, a malformed file never written, a file changed after the preview refused, a
// token of each client's own (named in the activity log, revocable), and importing a client's servers.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseToml } from '@decimalturn/toml-patch';
import { parse as parseJsonc } from 'jsonc-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ApiClient } from '../src-shared/api/index.js';
import type { Gatehouse } from '../src-main/core/index.js';
import { connectClient, openCore, rawMcpSession, refusal, ROOT, runCli, runCliOnTerminal, servers, tempHome, textOf, waitFor } from './helpers.js';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'client-homes', 'home');
const MEMORY = servers.memory.args[0];

/** Each client's file under the home, its format, and where its servers sit. */
const FILES: Record<string, [string, 'json' | 'toml' | 'yaml', string]> = {
  'claude-desktop': ['.config/Claude/claude_desktop_config.json', 'json', 'mcpServers'],
  'claude-code': ['.claude.json', 'json', 'mcpServers'],
  cursor: ['.cursor/mcp.json', 'json', 'mcpServers'],
  vscode: ['.config/Code/User/mcp.json', 'json', 'servers'],
  windsurf: ['.codeium/windsurf/mcp_config.json', 'json', 'mcpServers'],
  codex: ['.codex/config.toml', 'toml', 'mcp_servers'],
  gemini: ['.gemini/settings.json', 'json', 'mcpServers'],
  zed: ['.config/zed/settings.json', 'json', 'context_servers'],
  cline: ['.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json', 'json', 'mcpServers'],
  'lm-studio': ['.lmstudio/mcp.json', 'json', 'mcpServers'],
  goose: ['.config/goose/config.yaml', 'yaml', 'extensions'],
};

function parse(format: 'json' | 'toml' | 'yaml', text: string): Record<string, unknown> {
  if (format === 'toml') return parseToml(text) as Record<string, unknown>;
  if (format === 'yaml') return parseYaml(text) as Record<string, unknown>;
  return parseJsonc(text, [], { allowTrailingComma: true }) as Record<string, unknown>;
}

interface Setup {
  home: string;
  core: Gatehouse;
  api: ApiClient;
  file(client: string): string;
  read(client: string): string;
  close(): Promise<void>;
}

async function setup(mcpServers: object = {}): Promise<Setup> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-clients-home-'));
  cpSync(FIXTURE, home, { recursive: true });
  const claude = path.join(home, FILES['claude-desktop'][0]);
  writeFileSync(claude, readFileSync(claude, 'utf8').replaceAll('MEMORY_SERVER', MEMORY).replaceAll('"node"', JSON.stringify(process.execPath)));
  const t = await tempHome({ mcpServers, searchByMeaning: false });
  const { core, api } = await openCore(t.home, { env: { HOME: home, GATEHOUSE_SECRET_STORE: 'memory' } });
  const file = (client: string) => path.join(home, FILES[client][0]);
  return {
    home,
    core,
    api,
    file,
    read: (client) => readFileSync(file(client), 'utf8'),
    close: async () => {
      await core.close();
      t.cleanup();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

describe('connecting AI clients', () => {
  let s: Setup | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('finds every client with its servers, connects each after a diff touching only its own entry, disconnects, and undoes byte for byte', async () => {
    s = await setup();
    const { clients } = await s.api.call('clients.list', {});
    const found = Object.fromEntries(clients.map((c) => [c.id, c]));
    for (const id of Object.keys(FILES)) expect(found[id], id).toMatchObject({ found: true, connected: false });
    expect(found['claude-desktop'].servers).toEqual(['memory', 'my tool!']);
    expect(found.codex.servers).toEqual(['docs']);
    expect(found.goose.servers).toEqual(['developer', 'fetch']);
    expect(found.zed.servers).toEqual(['git']);

    for (const [id, [, format, key]] of Object.entries(FILES)) {
      const original = s.read(id);
      const before = parse(format, original);
      const { preview } = await s.api.call('clients.preview', { id, action: 'connect' });
      expect(preview.diff, id).toMatch(/^\+.*gatehouse/m);
      // A line taken away comes back with a comma at most (the entry before ours gains one), or opened up
      // when it was an empty map (`{}`) that our entry goes into.
      const lines = preview.diff.split('\n');
      for (const line of lines.filter((l) => /^-(?!--)/.test(l))) {
        const kept = line.slice(1).replace(/\s*$/, '');
        expect(lines.includes(`+${kept},`) || (kept.endsWith('{}') && lines.includes(`+${kept.slice(0, -1)}`)), `${id}: ${line}`).toBe(true);
      }
      await s.api.call('clients.connect', { id, expected: preview.hash });
      const text = s.read(id);
      const after = parse(format, text);
      const entry = (after[key] as Record<string, Record<string, unknown>>).gatehouse;
      const transport = clients.find((c) => c.id === id)!.transport;
      if (transport === 'http') expect(JSON.stringify(entry), id).toMatch(/"Bearer ghc_[\w-]+"/);
      else expect(JSON.stringify(entry), id).toContain('"stdio"');
      // Everything else as it was: other keys, other servers, and every comment.
      const { gatehouse: _ours, ...rest } = after[key] as Record<string, unknown>;
      expect({ ...after, [key]: rest }, id).toEqual(before);
      for (const comment of original.match(/(#|\/\/|\/\*).*$/gm) ?? []) expect(text, id).toContain(comment.trim());
      expect((await s.api.call('clients.list', {})).clients.find((c) => c.id === id)!.connected, id).toBe(true);

      await s.api.call('clients.disconnect', { id });
      expect(parse(format, s.read(id)), id).toEqual(before);
      await s.api.call('clients.undo', { id });
      expect(s.read(id), id).toBe(original);
    }
  });

  it('finds a client by its own folder when its file is not written yet, never by the home folder alone', async () => {
    s = await setup();
    rmSync(s.file('claude-code'));
    rmSync(s.file('cursor'));
    const here = async () => Object.fromEntries((await s!.api.call('clients.list', {})).clients.map((c) => [c.id, c.found]));
    // Claude Code's file sits in the home folder itself; the cursor folder is still there without its file.
    expect(await here()).toMatchObject({ 'claude-code': false, cursor: true });
    mkdirSync(path.join(s.home, '.claude'));
    expect((await here())['claude-code']).toBe(true);
  });

  it('reports a malformed file and never writes it; refuses a write when the file changed after the preview', async () => {
    s = await setup();
    const broken = '{ "mcpServers": { "fetch": { "command": "uvx", ';
    writeFileSync(s.file('cursor'), broken);
    const cursor = (await s.api.call('clients.list', {})).clients.find((c) => c.id === 'cursor')!;
    expect(cursor.problem).toMatch(/mcp\.json is not valid/);
    const refused = await refusal(s.api.call('clients.connect', { id: 'cursor' }));
    expect(refused.code).toBe('invalid_input');
    expect(refused.message).toMatch(/leaves it as it is/);
    expect(s.read('cursor')).toBe(broken);

    const { preview } = await s.api.call('clients.preview', { id: 'vscode', action: 'connect' });
    const edited = s.read('vscode').replace('"inputs"', '// the person edited this meanwhile\n  "inputs"');
    writeFileSync(s.file('vscode'), edited);
    const conflict = await refusal(s.api.call('clients.connect', { id: 'vscode', expected: preview.hash }));
    expect(conflict.code).toBe('conflict');
    expect(conflict.message).toMatch(/changed since the preview/);
    expect(s.read('vscode')).toBe(edited);
  });

  it("gives each HTTP client a token of its own: the activity log names the client, and disconnecting revokes it", async () => {
    s = await setup();
    await s.core.listen(0);
    await s.api.call('clients.connect', { id: 'cursor' });
    const entry = (JSON.parse(s.read('cursor')) as { mcpServers: { gatehouse: { url: string; headers: { Authorization: string } } } }).mcpServers.gatehouse;
    const token = entry.headers.Authorization.replace('Bearer ', '');
    const client = await connectClient(entry.url, token);
    await client.callTool({ name: 'search_tools', arguments: { query: 'anything' } }).catch(() => undefined);
    await client.callTool({ name: 'call_tool', arguments: { id: 'nope__nothing', arguments: {} } });
    await client.close();
    await waitFor(async () => (await s!.api.call('activity.query', { kind: 'call' })).records.find((r) => r.client?.startsWith('cursor')), 'a call recorded for cursor');

    await s.api.call('clients.disconnect', { id: 'cursor' });
    await expect(connectClient(entry.url, token)).rejects.toThrow(/401|nauthorized/);
  });

  it("imports a client's servers quarantined, with secrets moved into the secret store, and takes them out of the client once they work", async () => {
    s = await setup();
    const result = await s.api.call('clients.import', { id: 'claude-desktop' });
    expect(result.imported).toEqual([
      { name: 'memory', as: 'memory' },
      { name: 'my tool!', as: 'my-tool-' },
    ]);
    expect(result.secrets).toEqual(['claude-desktop.memory.GITHUB_TOKEN']);
    const { config, server } = await s.api.call('servers.get', { name: 'memory' });
    expect(server.trust).toBe('quarantined');
    expect(config.env).toEqual({ GITHUB_TOKEN: '${keyring:claude-desktop.memory.GITHUB_TOKEN}', LOG_LEVEL: 'info' });
    expect(readFileSync(path.join(s.core.paths.config), 'utf8')).not.toContain('ghp_fixtureSecretValue123456');
    expect((await s.api.call('secrets.reveal', { name: 'claude-desktop.memory.GITHUB_TOKEN' })).value).toBe('ghp_fixtureSecretValue123456');

    // Not yet approved: it stays in the client.
    const early = await s.api.call('clients.import', { id: 'claude-desktop', names: ['memory'], removeFromClient: true });
    expect(early.removedFromClient).toEqual([]);
    expect(early.skipped[0].reason).toMatch(/approve it first/);
    await s.api.call('servers.approve', { name: 'memory' });
    await s.api.call('catalog.refresh', { servers: ['memory'] });
    const done = await s.api.call('clients.import', { id: 'claude-desktop', names: ['memory'], removeFromClient: true });
    expect(done.removedFromClient).toEqual(['memory']);
    const left = JSON.parse(s.read('claude-desktop')) as { globalShortcut: string; mcpServers: Record<string, unknown> };
    expect(Object.keys(left.mcpServers)).toEqual(['my tool!']);
    expect(left.globalShortcut).toBe('Ctrl+Space');
    // And undo brings the whole file back.
    await s.api.call('clients.undo', { id: 'claude-desktop' });
    expect(Object.keys((JSON.parse(s.read('claude-desktop')) as { mcpServers: object }).mcpServers)).toEqual(['memory', 'my tool!']);
    expect(existsSync(s.file('claude-desktop'))).toBe(true);
  });

  it('limits a client to a profile: it sees, searches and calls only those servers, wherever it connects, and the limit moves at once', async () => {
    s = await setup({ notes: servers.memory, other: servers.memory });
    await s.core.listen(0);
    await s.api.call('catalog.refresh', {});
    await s.api.call('clients.connect', { id: 'cursor' });
    const { client } = await s.api.call('clients.profile', { id: 'cursor', servers: ['notes'] });
    expect(client.profile).toEqual(['notes']);
    const entry = (JSON.parse(s.read('cursor')) as { mcpServers: { gatehouse: { url: string; headers: { Authorization: string } } } }).mcpServers.gatehouse;
    expect(entry.url).toMatch(/\/mcp\/clients\/cursor$/);
    const token = entry.headers.Authorization.replace('Bearer ', '');
    const search = async (c: Awaited<ReturnType<typeof connectClient>>) =>
      (JSON.parse(textOf(await c.callTool({ name: 'search_tools', arguments: { query: 'read the knowledge graph', limit: 20 } }))) as { results: { id: string }[] }).results.map((r) => r.id);
    for (const url of [entry.url, entry.url.replace(/\/clients\/cursor$/, '')]) {
      const limited = await connectClient(url, token);
      expect((await limited.listTools()).tools.map((t) => t.name)).not.toContain('upstream_servers');
      const ids = await search(limited);
      expect(ids.some((id) => id.startsWith('notes__'))).toBe(true);
      expect(ids.some((id) => id.startsWith('other__'))).toBe(false);
      const refused = await limited.callTool({ name: 'call_tool', arguments: { id: 'other__read_graph', arguments: {} } });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/No server "other"/);
      expect((await limited.callTool({ name: 'describe_tool', arguments: { id: 'other__read_graph' } })).isError).toBe(true);
      expect((await limited.callTool({ name: 'call_tool', arguments: { id: 'notes__read_graph', arguments: {} } })).isError).toBeFalsy();
      await limited.close();
    }
    // Another client's endpoint does not take this token.
    await expect(connectClient(entry.url.replace('/cursor', '/vscode'), token)).rejects.toThrow(/401|nauthorized/);

    const open = await connectClient(entry.url, token);
    await s.api.call('clients.profile', { id: 'cursor', servers: null });
    expect((await search(open)).some((id) => id.startsWith('other__'))).toBe(true);
    await open.close();
  });

  it("keeps a client's tasks its own: another client with a token of its own neither lists nor reads them", async () => {
    s = await setup({ everything: servers.everything });
    const { url: gatewayUrl, token: gatewayToken } = await s.core.listen(0);
    await s.api.call('catalog.refresh', {});
    type Entries = Record<string, { gatehouse: { url: string; headers: { Authorization: string } } }>;
    const entryOf = (id: string) => (JSON.parse(s!.read(id)) as Entries)[FILES[id][2]].gatehouse;
    const tokenOf = (id: string) => entryOf(id).headers.Authorization.replace('Bearer ', '');
    const own = async (id: string) => {
      await s!.api.call('clients.connect', { id });
      return rawMcpSession(entryOf(id).url, tokenOf(id));
    };
    const cursor = await own('cursor');
    const other = await own('claude-code');
    const created = await cursor.call('tools/call', { name: 'call_tool', arguments: { id: 'everything__simulate-research-query', arguments: { topic: 'tide pools' } }, task: { ttl: 60_000 } });
    const taskId = (created.result?.task as { taskId?: string } | undefined)?.taskId;
    expect(taskId, JSON.stringify(created)).toEqual(expect.any(String));
    await waitFor(async () => (await cursor.call('tasks/get', { taskId })).result?.status === 'completed', 'the task to complete', 30_000);
    const ids = async (session: typeof cursor) => ((await session.call('tasks/list', {})).result?.tasks as { taskId: string }[]).map((t) => t.taskId);
    expect(await ids(cursor)).toContain(taskId);
    expect(await ids(other)).not.toContain(taskId);
    for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel']) expect((await other.call(method, { taskId })).error?.message).toMatch(/No task/);
    // Nor does a session on the gateway's own token.
    const gateway = await rawMcpSession(gatewayUrl, gatewayToken);
    expect(await ids(gateway)).not.toContain(taskId);
    // A session is its client's: another token presenting its id, on the endpoint all clients share, is refused.
    const shared = await rawMcpSession(gatewayUrl, tokenOf('cursor'));
    expect(((await shared.call('tasks/list', {})).result?.tasks as { taskId: string }[]).map((t) => t.taskId)).toContain(taskId);
    for (const token of [tokenOf('claude-code'), gatewayToken]) {
      const taken = await shared.postAs(token, { jsonrpc: '2.0', id: 99, method: 'tasks/list', params: {} });
      expect(taken.status).toBe(404);
      expect(await taken.text()).toMatch(/Session not found/);
    }
    expect(JSON.stringify((await cursor.call('tasks/result', { taskId })).result?.content)).toContain('tide pools');
  });

  it("keeps a server outside a client's profile from asking that client for its model, its user or its roots", async () => {
    s = await setup({ notes: servers.memory, asker: servers.fixture('asking-server.mjs') });
    await s.core.listen(0);
    await s.api.call('clients.connect', { id: 'cursor' });
    await s.api.call('clients.profile', { id: 'cursor', servers: ['notes'] });
    const entry = (JSON.parse(s.read('cursor')) as { mcpServers: { gatehouse: { url: string; headers: { Authorization: string } } } }).mcpServers.gatehouse;
    const asked: string[] = [];
    const limited = await connectClient(entry.url, entry.headers.Authorization.replace('Bearer ', ''), { sampling: {}, elicitation: {}, roots: {} }, (c) => {
      c.setRequestHandler('sampling/createMessage', async () => (asked.push('sampling'), { role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'm' }));
      c.setRequestHandler('elicitation/create', async () => (asked.push('elicitation'), { action: 'decline' }));
      c.setRequestHandler('roots/list', async () => (asked.push('roots'), { roots: [] }));
    });
    const { api } = s;
    try {
      const unanswered = async () => (await api.call('servers.logs', { name: 'asker' })).lines.filter((l) => l.text.includes('no connected client can answer')).length;
      await api.call('servers.restart', { name: 'asker' });
      await waitFor(async () => (await unanswered()) === 3, "the asker's three requests left unanswered");
      expect(asked).toEqual([]);
    } finally {
      await limited.close();
    }
  });

  it('works from the command line: list, connect after the diff (asked on a terminal, or --yes), profile, undo, import', async () => {
    s = await setup();
    await s.core.close();
    const home = path.dirname(s.core.paths.config);
    const env = { GATEHOUSE_HOME: home, HOME: s.home, GATEHOUSE_SECRET_STORE: 'memory' };
    const list = await runCli(['clients', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { id: string; found: boolean }[]).filter((c) => c.found).map((c) => c.id)).toContain('goose');
    const original = s.read('goose');
    const refused = await runCli(['clients', 'connect', 'goose'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/\+  gatehouse:/);
    expect(refused.stderr).toMatch(/pass --yes/);
    expect(s.read('goose')).toBe(original);
    const typed = await runCliOnTerminal(['clients', 'connect', 'goose'], env, 'y\n');
    expect(typed.code, typed.stdout).toBe(0);
    expect(s.read('goose')).toMatch(/gatehouse:\n\s+type: stdio/);
    const stdioOnly = await runCli(['clients', 'profile', 'goose', '--server', 'x'], env);
    expect(stdioOnly.stderr).toMatch(/connected over HTTP/);
    expect((await runCli(['clients', 'undo', 'goose'], env)).code).toBe(0);
    expect(s.read('goose')).toBe(original);
    const imported = await runCli(['clients', 'import', 'codex'], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Imported "docs": quarantined/);
    expect(imported.stdout).toMatch(/Moved a secret out of its file into the secret store: codex\.docs\.DOCS_API_KEY/);
    s.core = (await openCore(home, { env })).core;
  });
});
