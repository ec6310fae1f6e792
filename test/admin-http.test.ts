// The admin API's HTTP face: a script's own token (separate from the gateway's), Host/Origin checks, clear
// 400/401/403/404 answers without stack traces, and the CLI using it against a running Gatehouse through
// the local socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { readInstance } from '../src-main/core/index.js';
import { connectClient, runCli, servers, startServe, tempHome, type RunningGatehouse } from './helpers.js';

describe('admin API over HTTP', () => {
  let gh: RunningGatehouse;
  let home: string;
  let cleanup: () => void;
  const adminToken = 'a-token-a-script-was-given';
  let api: (method: string, body: unknown, token?: string, headers?: Record<string, string>) => Promise<{ status: number; body: Record<string, unknown> }>;

  beforeAll(async () => {
    ({ home, cleanup } = await tempHome({ mcpServers: { everything: servers.everything } }));
    gh = await startServe(home, { GATEHOUSE_ADMIN_TOKEN: adminToken });
    api = async (method, body, token = adminToken, headers = {}) => {
      const res = await fetch(`http://127.0.0.1:${gh.port}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
  });
  afterAll(async () => {
    await gh?.stop();
    cleanup?.();
  });

  it('keeps the admin token and the gateway token apart', async () => {
    expect(adminToken).not.toBe(gh.token);
    expect((await api('servers.list', {}, gh.token)).status).toBe(401);
    expect((await api('servers.list', {})).status).toBe(200);
    // A client that may call tools cannot reach the admin API, and the admin token opens no MCP session.
    await expect(connectClient(gh.url, adminToken)).rejects.toThrow();
    await expect(connectClient(gh.url, gh.token)).resolves.toBeTruthy();
  });

  it('serves the admin API on a socket only its user can open, and nothing else there', async () => {
    const socketPath = readInstance(path.join(home, 'state', 'instance.json'))!.admin!;
    expect(path.dirname(socketPath)).toBe(path.join(home, 'state'));
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
    const ask = (method: string, url: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ socketPath, method, path: url, headers: { 'content-type': 'application/json' } }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end(method === 'POST' ? '{}' : undefined);
      });
    const listed = await ask('POST', '/api/servers.list');
    expect(listed.status).toBe(200);
    expect(JSON.parse(listed.body).servers.map((s: { name: string }) => s.name)).toEqual(['everything']);
    expect((await ask('POST', '/mcp')).status).toBe(404);
  });

  it('answers bad requests with 400/404 and a message, never a stack trace', async () => {
    const badJson = await api('servers.list', '{ nope');
    expect(badJson.status).toBe(400);
    expect(badJson.body.message).toMatch(/not JSON/);
    const badInput = await api('servers.add', { name: 'x', config: { command: 5 } });
    expect(badInput.status).toBe(400);
    expect(badInput.body.error).toBe('invalid_input');
    expect(String(badInput.body.message)).toMatch(/config\.command/);
    const unknown = await api('servers.frobnicate', {});
    expect(unknown.status).toBe(404);
    const missing = await api('servers.get', { name: 'ghost' });
    expect(missing.status).toBe(404);
    for (const r of [badJson, badInput, unknown, missing]) expect(JSON.stringify(r.body)).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+/);
  });

  it('refuses foreign origins', async () => {
    const r = await api('servers.list', {}, adminToken, { origin: 'https://evil.example' });
    expect(r.status).toBe(403);
  });

  it('lets the CLI change a running Gatehouse at once, and `status` show it', async () => {
    const env = { GATEHOUSE_HOME: home };
    const add = await runCli(['servers', 'add', 'memory', '--', servers.memory.command, ...servers.memory.args], env);
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/running Gatehouse has it now/);
    // Not waiting for the file watcher: the running instance answered the add itself.
    const list = await api('servers.list', {});
    expect((list.body.servers as { name: string }[]).map((s) => s.name)).toContain('memory');
    const status = await runCli(['status'], env);
    expect(status.stdout).toMatch(/Gatehouse .* is running \(pid \d+\)/);
    expect(status.stdout).toMatch(/memory\s+(idle|connecting|ready)\s+quarantined\s+stdio/);
  });

  it('streams events to a subscriber', async () => {
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${gh.port}/api/events`, { headers: { authorization: `Bearer ${adminToken}` }, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    await api('servers.restart', { name: 'everything' });
    let seen = '';
    while (!seen.includes('"server.status"')) seen += (await reader.read()).value ?? '';
    expect(seen).toMatch(/event: server.status\ndata: \{"type":"server.status","payload":\{"name":"everything"/);
    controller.abort();
  });
});
