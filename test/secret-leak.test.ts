// Plants a secret, runs a whole flow with it — a stdio server with it in env (and printing it to
// stderr), a remote server with it in a header and the URL, a failing remote with it in the URL, calls,
// errors, logs at trace level — then searches every file under the Gatehouse home and every output
// Gatehouse printed: the secret must appear nowhere.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, everythingEntry, freePort, openCore, runCli, servers, startServe, tempHome, textOf } from './helpers.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('no secret leaks', () => {
  const secret = `leak-${randomBytes(12).toString('hex')}`;
  const outputs: string[] = [];
  let upstream: ChildProcess | undefined;
  let t: Awaited<ReturnType<typeof tempHome>>;
  beforeAll(async () => {
    t = await tempHome();
  });
  afterAll(() => {
    upstream?.kill();
    t.cleanup();
  });

  it('finds the secret in no file and no output', async () => {
    const env = { GATEHOUSE_HOME: t.home, GATEHOUSE_SECRET_STORE: 'encrypted-file', GATEHOUSE_SECRETS_PASSPHRASE: 'leak-test-passphrase' };
    const port = await freePort();
    upstream = spawn(process.execPath, [everythingEntry, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
    const closed = await freePort();

    const run = async (args: string[], input?: string) => {
      const r = await runCli(args, env, input);
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    expect((await run(['secrets', 'set', 'leak'], `${secret}\n`)).code).toBe(0);
    await run(['servers', 'add', 'local', '--config', JSON.stringify({ ...servers.fixture('test-server.mjs', '--print-env', 'API_KEY'), env: { API_KEY: '${keyring:leak}' } })]);
    await run(['servers', 'add', 'remote', '--config', JSON.stringify({ type: 'http', url: `http://127.0.0.1:${port}/mcp?key=\${keyring:leak}`, headers: { Authorization: 'Bearer ${keyring:leak}' } })]);
    await run(['servers', 'add', 'broken', '--config', JSON.stringify({ type: 'http', url: `http://127.0.0.1:${closed}/mcp?key=\${keyring:leak}` })]);
    // Reviewing and approving lists each server, the secret in hand.
    for (const name of ['local', 'remote', 'broken']) expect((await run(['servers', 'approve', name, '--yes'])).code).toBe(0);

    const gh = await startServe(t.home, env, ['--log-level', 'trace']);
    try {
      const client = await connectClient(gh.url, gh.token);
      // The server hands its environment (with the secret) to the client that asked: that is between them.
      // Gatehouse's own outputs are what must not show it.
      const whoami = await client.callTool({ name: 'call_tool', arguments: { id: 'local__whoami', arguments: {} } });
      expect(textOf(whoami)).toContain(secret);
      const echo = await client.callTool({ name: 'call_tool', arguments: { id: 'remote__echo', arguments: { message: 'hello' } } });
      expect(textOf(echo)).toBe('Echo: hello');
      const broken = await client.callTool({ name: 'call_tool', arguments: { id: 'broken__echo', arguments: {} } });
      expect(broken.isError).toBe(true);
      outputs.push(textOf(broken));
      await client.close();
      for (const args of [['servers', 'logs', 'local'], ['servers', 'logs', 'broken'], ['status'], ['servers', 'list', '--json'], ['secrets', 'list']]) await run(args);
      await run(['tools', 'call', 'broken__echo', '--args', '{}']);
    } finally {
      await gh.stop();
    }
    outputs.push(gh.output());
    await run(['tools', 'list', '--server', 'local', '--log-level', 'trace']);

    // The flow really used the secret: the stdio server printed it, and the logs show where it was.
    expect(readFileSync(path.join(t.home, 'logs', 'local.log'), 'utf8')).toContain('API_KEY=[redacted]');
    expect(outputs.join('\n')).toMatch(/"method":"tools\/call"/);

    const leaks = [
      ...filesUnder(t.home).filter((f) => readFileSync(f).includes(secret)),
      ...outputs.map((o, i) => (o.includes(secret) ? `output #${i}: ${o.slice(Math.max(0, o.indexOf(secret) - 200), o.indexOf(secret) + 50)}` : '')).filter(Boolean),
    ];
    expect(leaks).toEqual([]);
  });
});

describe('a secret written in a server\'s arguments', () => {
  it('reaches no agent and no page: a database URL\'s password and a key flag\'s value are shown redacted', async () => {
    const t = await tempHome({
      mcpServers: { db: servers.fixture('test-server.mjs', 'postgresql://app:pg-pass-4471@localhost:5432/shop', '--api-key', 'plain-key-8823', '--client-secret=cs-5390-x') },
    });
    const { core, api } = await openCore(t.home, { env: { ...process.env, GATEHOUSE_TOKEN: 'args-token' } });
    try {
      const client = await connectClient((await core.listen(0)).url, 'args-token');
      const listed = textOf(await client.callTool({ name: 'upstream_servers', arguments: { operation: 'list' } }));
      await client.close();
      const target = (await api.call('servers.list', {})).servers[0].target;
      const review = (await api.call('servers.review', { name: 'db' })).review.target;
      for (const shown of [listed, target, review]) {
        expect(shown).toContain('postgresql://app:[redacted]@localhost:5432/shop --api-key [redacted] --client-secret=[redacted]');
        for (const value of ['pg-pass-4471', 'plain-key-8823', 'cs-5390-x']) expect(shown).not.toContain(value);
      }
    } finally {
      await core.close();
      t.cleanup();
    }
  });
});
