// The MCP conformance suite's server scenarios, run against Gatehouse: `gatehouse serve` in front of a
// fixture server offering what the scenarios expect, reached through its per-server endpoint. The runner
// sends no Authorization header, so a forwarding shim adds the gateway token.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceNode, freePort, ROOT, servers, startServe, tempHome, type RunningGatehouse } from './helpers.js';

const RUNNER = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

const node = conformanceNode();
const missing = !node ? 'the MCP conformance suite needs Node 22 or later (.ci/run installs it; or set CONFORMANCE_NODE)' : undefined;
if (missing && process.env.CI) throw new Error(missing);
if (missing) process.stderr.write(`skipping the conformance suite: ${missing}\n`);

/** Forwards every request to `target`, adding the bearer token; a Host naming the shim becomes the target's. */
function shim(target: { port: number; path: string; token: string }): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise(async (resolve) => {
    const port = await freePort();
    const server = http.createServer((req, res) => {
      const headers = { ...req.headers, authorization: `Bearer ${target.token}` };
      if (headers.host === `127.0.0.1:${port}` || headers.host === `localhost:${port}`) headers.host = `127.0.0.1:${target.port}`;
      const forward = http.request({ host: '127.0.0.1', port: target.port, method: req.method, path: target.path, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    server.listen(port, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${port}/mcp`, close: () => new Promise((r) => server.close(() => r())) }),
    );
  });
}

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

describe.skipIf(!!missing)('MCP conformance suite (server scenarios)', () => {
  let gh: RunningGatehouse;
  let forward: { url: string; close: () => Promise<void> };
  let cleanup: () => void;
  const out = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-conformance-'));

  beforeAll(async () => {
    const t = await tempHome({ mcpServers: { conf: servers.fixture('conformance-server.mjs') } });
    cleanup = t.cleanup;
    gh = await startServe(t.home);
    forward = await shim({ port: gh.port, path: '/mcp/servers/conf', token: gh.token });
  });

  afterAll(async () => {
    await forward?.close();
    await gh?.stop();
    cleanup?.();
    rmSync(out, { recursive: true, force: true });
  });

  it('passes every scenario', async () => {
    const run = spawn(node!, [RUNNER, 'server', '--url', forward.url, '--suite', process.env.CONFORMANCE_SUITE ?? 'all', '--output-dir', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    run.stdout.on('data', (d) => (log += d));
    run.stderr.on('data', (d) => (log += d));
    const code = await new Promise<number | null>((r) => run.on('exit', r));
    const checks = readdirSync(out, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('checks.json'))
      .flatMap((f) => (JSON.parse(readFileSync(path.join(out, f), 'utf8')) as Check[]).map((c) => ({ scenario: path.dirname(f), ...c })));
    const failed = checks.filter((c) => c.status === 'FAILURE');
    if (process.env.CONFORMANCE_SHOW) process.stderr.write(`${log}\n${JSON.stringify(checks.map((c) => [c.scenario, c.id, c.status]))}\n`);
    expect(checks.length, log).toBeGreaterThan(40);
    expect(failed, log).toEqual([]);
    expect(code, log).toBe(0);
  }, 300_000);
});
