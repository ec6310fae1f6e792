// The fault matrix: upstreams that crash mid-call, hang, write garbage, answer 100 MB, take a minute to
// start or flood notifications; remotes that drop connections or answer 5xx; the port taken; config.json
// broken while running; state that cannot be written; SIGTERM with calls in flight. Each ends with a
// clear error to the client, no crash, the other servers unaffected and recovery without a restart.
import type { ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, runCli, servers, startEverything, startServe, tempHome, textOf, waitFor, type RunningGatehouse } from '../helpers.js';

let gh: RunningGatehouse;
let client: Client;
let home: string;
let cleanup: () => void;
const remotes: Server[] = [];
let everythingHttp: { port: number; child: ChildProcess };
/** Whether the flaky remote is up: when it is, it passes requests on to server-everything over HTTP. */
let flakyUp = false;

/** An HTTP server of our own that fails every request in its own way. */
async function remote(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  remotes.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
}

const call = (name: string, args: Record<string, unknown> = {}) => client.callTool({ name, arguments: args }, { timeout: 60_000 });
const healthy = async () => expect(textOf(await call('healthy__echo', { message: 'still here' }))).toBe('Echo: still here');

beforeAll(async () => {
  const failing = await remote((_req, res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream is down for maintenance'));
  const dropping = await remote((req) => req.socket.destroy());
  everythingHttp = await startEverything('streamableHttp');
  const flaky = await remote((req, res) => {
    if (!flakyUp) return void res.writeHead(503).end('down for a moment');
    const upstream = request({ host: '127.0.0.1', port: everythingHttp.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  const t = await tempHome({
    mode: 'direct',
    maxMessageMB: 16,
    mcpServers: {
      healthy: servers.everything,
      faulty: { ...servers.fixture('faulty-server.mjs'), callTimeoutSeconds: 3 },
      // The same misbehaving server with the default call timeout, for the flood (its pace depends on the machine).
      flooder: servers.fixture('faulty-server.mjs'),
      slow: { ...servers.fixture('faulty-server.mjs', '--slow-start', '60000'), startTimeoutSeconds: 2 },
      failing: { type: 'http', url: failing },
      dropping: { type: 'http', url: dropping },
      flaky: { type: 'http', url: flaky },
    },
  });
  home = t.home;
  cleanup = t.cleanup;
  gh = await startServe(home);
  client = await connectClient(gh.url, gh.token);
  await healthy();
}, 60_000);

afterAll(async () => {
  await client?.close();
  await gh?.stop();
  for (const r of remotes) r.close();
  everythingHttp?.child.kill();
  cleanup?.();
});

describe('faulty upstream servers', () => {
  it('a server that crashes mid-call: a clear error, and the next call starts it again', async () => {
    const crashed = await call('faulty__crash');
    expect(crashed.isError).toBe(true);
    expect(textOf(crashed)).toMatch(/closed|exited|ended/i);
    await healthy();
    expect(textOf(await call('faulty__ok'))).toBe('ok');
  });

  it('a call that never answers: timed out with the reason, and the server stays usable', async () => {
    const hung = await call('faulty__hang');
    expect(hung.isError).toBe(true);
    expect(textOf(hung)).toMatch(/did not answer within 3 s/);
    expect(textOf(await call('faulty__ok'))).toBe('ok');
  });

  it('a line that is not JSON is skipped, and the answer after it arrives', async () => {
    expect(textOf(await call('faulty__garbage'))).toBe('after garbage');
  });

  it('a 100 MB answer fails with the limit named, while other servers answer at once', async () => {
    const finished: string[] = [];
    const big = call('faulty__big', { mb: 100 }).then((r) => {
      finished.push('big');
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 10; i++) {
      await healthy();
      finished.push('echo');
    }
    const result = await big;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/over the 16 MB limit \(maxMessageMB/);
    expect(finished.indexOf('big')).toBeGreaterThan(0); // the echo calls did not wait for it
    expect(textOf(await call('faulty__ok'))).toBe('ok');
  });

  it('a server that takes a minute to start: given up after startTimeoutSeconds, with the reason', async () => {
    const started = Date.now();
    const slow = await call('slow__ok');
    expect(slow.isError).toBe(true);
    expect(textOf(slow)).toMatch(/no answer to initialize within 2 s/);
    expect(Date.now() - started).toBeLessThan(15_000);
    await healthy();
  });

  it('a flood of notifications: the call still answers and others are unaffected', async () => {
    expect(textOf(await call('flooder__flood', { count: 20_000 }))).toBe('flooded');
    await healthy();
  });
});

describe('faulty remote servers', () => {
  it('a remote answering 503: a clear error that says so', async () => {
    const r = await call('failing__anything');
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/failing.*(503|could not be started)/s);
    await healthy();
  });

  it('a remote dropping connections: a clear error', async () => {
    const r = await call('dropping__anything');
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/dropping/);
    await healthy();
  });

  it('a remote that comes back: used again after its backoff, with no restart', async () => {
    const down = await call('flaky__echo', { message: 'x' });
    expect(down.isError).toBe(true);
    flakyUp = true;
    await waitFor(async () => textOf(await call('flaky__echo', { message: 'back' })) === 'Echo: back', 'the remote to be used again', 15_000);
    await healthy();
  });
});

describe('faults around Gatehouse', () => {
  it('the port taken: serve exits 2 and says which port', async () => {
    const r = await runCli(['serve', '--port', String(gh.port)], { GATEHOUSE_HOME: (await tempHome()).home });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`port ${gh.port} on 127.0.0.1 is in use`));
  });

  it('config.json broken, then deleted while running: the running config stays, and a fixed file applies', async () => {
    const file = path.join(home, 'config.json');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, '{ "mcpServers": { "healthy": ');
    await waitFor(() => /not valid JSON/.test(gh.output()), 'the invalid edit reported');
    await healthy();
    rmSync(file);
    await waitFor(() => /is missing/.test(gh.output()), 'the missing file reported');
    await healthy();
    writeFileSync(file, original);
    await new Promise((r) => setTimeout(r, 300));
    await healthy();
    const list = JSON.parse((await runCli(['servers', 'list', '--json'], { GATEHOUSE_HOME: home })).stdout) as { name: string; trust: string }[];
    expect(list.find((s) => s.name === 'healthy')?.trust).toBe('approved');
  });

  it('state that cannot be written: calls go on, and a decision that cannot be saved says so', async () => {
    const trust = path.join(home, 'state', 'trust.json');
    renameSync(trust, `${trust}.saved`);
    mkdirSync(trust);
    writeFileSync(path.join(trust, 'in-the-way'), '');
    try {
      await healthy();
      const block = await runCli(['servers', 'block', 'faulty', '--yes'], { GATEHOUSE_HOME: home });
      expect(block.code).not.toBe(0);
      expect(block.stderr).toMatch(/could not save your decision, so it was not taken/);
      expect(textOf(await call('faulty__ok'))).toBe('ok');
    } finally {
      rmSync(trust, { recursive: true });
      renameSync(`${trust}.saved`, trust);
    }
  });

  it('SIGTERM with calls in flight: each caller hears why, and Gatehouse exits cleanly', async () => {
    const t = await tempHome({ mode: 'direct', mcpServers: { faulty: servers.fixture('faulty-server.mjs') } });
    const own = await startServe(t.home);
    const ownClient = await connectClient(own.url, own.token);
    try {
      const pending = ownClient.callTool({ name: 'faulty__hang', arguments: {} }).then(
        (r) => textOf(r),
        (err: Error) => err.message,
      );
      await new Promise((r) => setTimeout(r, 500));
      expect(await own.stop('SIGTERM')).toBe(0);
      expect(await pending).toMatch(/shutting down/);
    } finally {
      await ownClient.close().catch(() => undefined);
      t.cleanup();
    }
  });

  it('survived all of the above: the same serve still answers', async () => {
    expect(gh.child.exitCode).toBeNull();
    await healthy();
    expect(textOf(await call('faulty__ok'))).toBe('ok');
  });
});
