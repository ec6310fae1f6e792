// Robustness holes found from outside: malformed requests that were never answered, a too-large body cut
// off instead of refused, sessions without bound, unclear errors for broken files, and listings that nest
// too deep or run to megabytes.
import { spawn } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, openCore, runCli, servers, startServe, tempHome, type RunningGatehouse } from '../helpers.js';

let gh: RunningGatehouse;
let cleanup: () => void;
beforeAll(async () => {
  const t = await tempHome({ mcpServers: { mem: servers.memory } });
  cleanup = t.cleanup;
  gh = await startServe(t.home);
});
afterAll(async () => {
  await gh?.stop();
  cleanup?.();
});

const headers = () => ({ authorization: `Bearer ${gh.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' });
const post = (body: string, extra: Record<string, string> = {}) => fetch(gh.url, { method: 'POST', headers: { ...headers(), ...extra }, body, signal: AbortSignal.timeout(5000) });
const initialize = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'probe', version: '1' } } });

const MALFORMED = [
  ['a method that is not a string', '{"jsonrpc":"2.0","id":1,"method":123}', 1],
  ['params that are not an object', '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":"x"}', 2],
  ['a null id', '{"jsonrpc":"2.0","id":null,"method":"tools/list"}', null],
  ['an object id', '{"jsonrpc":"2.0","id":{},"method":"tools/list"}', null],
  ['neither method nor id', '{"jsonrpc":"2.0"}', null],
] as const;

describe('every message gets an answer', () => {
  it('answers malformed JSON-RPC over HTTP with a well-formed error, with or without a session', async () => {
    const init = await post(initialize(1));
    const session = init.headers.get('mcp-session-id')!;
    await post('{"jsonrpc":"2.0","method":"notifications/initialized"}', { 'mcp-session-id': session });
    for (const [what, body, id] of MALFORMED) {
      for (const extra of [{}, { 'mcp-session-id': session }] as Record<string, string>[]) {
        const res = await post(body, extra);
        expect(res.status, what).toBe(400);
        const answer = (await res.json()) as { jsonrpc: string; id: unknown; error: { code: number; message: string } };
        expect(answer, what).toMatchObject({ jsonrpc: '2.0', id, error: { code: -32600 } });
      }
    }
    const batch = await post(`[${MALFORMED.map(([, body]) => body).join(',')}]`, { 'mcp-session-id': session });
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as unknown[]).length).toBe(MALFORMED.length);
  });

  it('answers malformed lines over gatehouse stdio, and goes on serving', async () => {
    const t = await tempHome({ mcpServers: { mem: servers.memory } });
    const child = spawn(process.execPath, [BIN, 'stdio'], { env: { ...process.env, GATEHOUSE_HOME: t.home }, stdio: ['pipe', 'pipe', 'ignore'] });
    const answers: Record<string, unknown>[] = [];
    readline.createInterface({ input: child.stdout! }).on('line', (line) => answers.push(JSON.parse(line)));
    try {
      for (const [, body] of MALFORMED) child.stdin!.write(`${body}\n`);
      child.stdin!.write('not json at all\n');
      child.stdin!.write(`${initialize(9)}\n`);
      const deadline = Date.now() + 10_000;
      while (answers.length < MALFORMED.length + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(answers.slice(0, MALFORMED.length).map((a) => (a.error as { code: number }).code)).toEqual(MALFORMED.map(() => -32600));
      expect(answers[MALFORMED.length]).toMatchObject({ id: null, error: { code: -32700 } });
      expect(answers[MALFORMED.length + 1]).toMatchObject({ id: 9, result: { serverInfo: { name: 'gatehouse' } } });
    } finally {
      // Gatehouse writes its last records as it stops: remove its home once it has.
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
      t.cleanup();
    }
  });

  it('refuses a body over the limit with 413, not a reset connection', async () => {
    const res = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(5 * 1024 * 1024) } }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/larger than 4 MB/);
  });

  it('keeps at most 1,000 sessions: a new one ends the session idle the longest', async () => {
    const first = (await post(initialize(1))).headers.get('mcp-session-id')!;
    expect((await post('{"jsonrpc":"2.0","id":2,"method":"ping"}', { 'mcp-session-id': first })).status).toBe(200);
    for (let i = 0; i < 1000; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => post(initialize(i + j))));
    const evicted = await post('{"jsonrpc":"2.0","id":3,"method":"ping"}', { 'mcp-session-id': first });
    expect(evicted.status).toBe(404);
    const latest = (await post(initialize(5000))).headers.get('mcp-session-id')!;
    expect((await post('{"jsonrpc":"2.0","id":4,"method":"ping"}', { 'mcp-session-id': latest })).status).toBe(200);
  });
});

describe('broken files give errors that say what to fix', () => {
  it('servers add with an invalid config.json exits 2 and names the file', async () => {
    const t = await tempHome();
    writeFileSync(path.join(t.home, 'config.json'), '{ "mcpServers": {');
    const r = await runCli(['servers', 'add', 'x', '--', 'node', 'x.js'], { GATEHOUSE_HOME: t.home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(path.join(t.home, 'config.json'));
    t.cleanup();
  });

  it('a damaged encrypted secret file is named, with what to do', async () => {
    const t = await tempHome();
    mkdirSync(path.join(t.home, 'state'), { recursive: true });
    writeFileSync(path.join(t.home, 'state', 'secrets.enc'), '{"version":1,"salt":');
    const env = { GATEHOUSE_HOME: t.home, GATEHOUSE_SECRET_STORE: 'encrypted-file', GATEHOUSE_SECRETS_PASSPHRASE: 'pass' };
    const r = await runCli(['secrets', 'list'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/secrets\.enc is damaged .*restore it from a backup/);
    t.cleanup();
  });

  it('makes a home that existed with wider rights private', async () => {
    const t = await tempHome();
    chmodSync(t.home, 0o755);
    await runCli(['servers', 'list'], { GATEHOUSE_HOME: t.home });
    expect(statSync(t.home).mode & 0o777).toBe(0o700);
    t.cleanup();
  });
});

describe('hostile listings', () => {
  it('a schema nested too deep fails that listing with a clear error; a description of 40,000 sentences is flagged for its length', async () => {
    const t = await tempHome(
      { mcpServers: { deep: servers.fixture('faulty-server.mjs', '--deep', '20000'), long: servers.fixture('faulty-server.mjs', '--long', '40000'), mem: servers.memory } },
      { quarantine: true },
    );
    const { core, api } = await openCore(t.home);
    try {
      const deep = (await api.call('servers.review', { name: 'deep' })).review;
      expect(deep.error).toMatch(/nests too deep to read/);
      const long = (await api.call('servers.review', { name: 'long' })).review;
      const findings = long.tools.find((tool) => tool.name === 'long')!.findings;
      expect(findings.find((f) => f.family === 'oversized_definition')?.message).toMatch(/^40001 sentences, .*the classifier read the first 1000/);
      expect(long.tools.find((tool) => tool.name === 'ok')!.findings).toEqual([]);
      expect((await api.call('servers.review', { name: 'mem' })).review.tools.length).toBeGreaterThan(0);
    } finally {
      await core.close();
      t.cleanup();
    }
  }, 60_000);

  it('a list that runs on page after page is refused past 20,000 items, with what was read let go; a long but real-sized list is read whole', async () => {
    // 6,006 tools a page: five pages is 30,030 tools, two is 12,012.
    const t = await tempHome(
      { mcpServers: { endless: servers.fixture('faulty-server.mjs', '--many', '6000', '--pages', '5'), paged: servers.fixture('faulty-server.mjs', '--many', '6000', '--pages', '2'), mem: servers.memory } },
      { quarantine: true },
    );
    const { core, api } = await openCore(t.home);
    try {
      const endless = (await api.call('servers.review', { name: 'endless' })).review;
      expect(endless.error).toMatch(/lists more than 20,000 tools, far more than any real server/);
      expect(endless.tools).toEqual([]);
      const paged = (await api.call('servers.review', { name: 'paged' })).review;
      expect(paged.error).toBeUndefined();
      expect(paged.tools.length).toBe(12_012);
      expect(paged.tools.at(-1)!.name).toBe('p1_lookup_5999');
      expect((await api.call('servers.review', { name: 'mem' })).review.tools.length).toBeGreaterThan(0);
    } finally {
      await core.close();
      t.cleanup();
    }
    // The limit is a setting, and the refusal says so.
    const low = await tempHome({ maxListedItems: 5000, mcpServers: { paged: servers.fixture('faulty-server.mjs', '--many', '6000', '--pages', '2') } }, { quarantine: true });
    const opened = await openCore(low.home);
    try {
      const paged = (await opened.api.call('servers.review', { name: 'paged' })).review;
      expect(paged.error).toMatch(/lists more than 5,000 tools.*raise maxListedItems in config\.json/);
    } finally {
      await opened.core.close();
      low.cleanup();
    }
  }, 120_000);
});
