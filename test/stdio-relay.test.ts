// `gatehouse stdio` started by a client while a Gatehouse already serves the same home: the running one
// serves the client, so a call that waits for a person's yes shows where the person looks.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayStdio, runningWindow } from '../src-main/core/index.js';
import { adminApi, BIN, ERAS, runCli, servers, startServe, tempHome, textOf, waitFor, type Era, type RunningGatehouse } from './helpers.js';

let gh: RunningGatehouse;
let home: string;
let cleanup: () => void;
beforeAll(async () => {
  const t = await tempHome();
  home = t.home;
  cleanup = t.cleanup;
  const stage = path.join(home, 'stage');
  writeFileSync(stage, 'v1');
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ mcpServers: { everything: servers.everything, rug: servers.fixture('rug-pull-server.mjs', stage) } }));
  for (const name of ['everything', 'rug']) expect((await runCli(['servers', 'approve', name, '--yes'], { GATEHOUSE_HOME: home })).code).toBe(0);
  // Its token kept in state/, as for a person, so that it can be replaced.
  gh = await startServe(home, { GATEHOUSE_TOKEN: '' });
});
afterAll(async () => {
  await gh?.stop();
  cleanup?.();
});

/** A client that spawns `gatehouse stdio` for this home, as Claude Desktop does; its stderr is kept. */
async function stdioClient(
  args: string[] = [],
  era: Era = '2025-11-25',
  answers = false,
  forHome = home,
): Promise<{ client: Client; stderr: () => string; pid: () => number | null }> {
  const client = new Client(
    { name: 'stdio-relay-test', version: '1' },
    { capabilities: answers ? { elicitation: { form: {} } } : {}, ...(era === '2026-07-28' && { versionNegotiation: { mode: { pin: era } } }) },
  );
  if (answers) client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { color: 'red', number: 7, pets: 'Cats' } }));
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'stdio', '--log-level', 'info', ...args], env: { ...process.env, GATEHOUSE_HOME: forHome } as Record<string, string>, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr += d));
  await client.connect(transport);
  return { client, stderr: () => stderr, pid: () => transport.pid };
}

describe('gatehouse stdio beside a running Gatehouse', () => {
  it("puts a call that waits for a yes in the running Gatehouse's approvals, where the window and the CLI answer it", async () => {
    const { client, stderr } = await stdioClient();
    try {
      await waitFor(() => stderr().includes(`Relaying to the Gatehouse running for this home: ${gh.url}`) || undefined, 'the bridge to say where it relays');
      const pending = client.callTool({ name: 'call_tool', arguments: { id: 'rug__delete_note', arguments: { id: 's1' } } });
      const api = adminApi(home);
      const waiting = await waitFor(async () => (await api.call('approvals.list', {})).requests.find((r) => r.tool === 'delete_note'), 'the call in the running Gatehouse’s approvals');
      const allowed = await runCli(['approvals', 'allow', waiting.id], { GATEHOUSE_HOME: home });
      expect(allowed.stdout).toContain('Allowed the call.');
      expect(textOf(await pending)).toBe('Deleted note s1');
    } finally {
      await client.close();
    }
  });

  for (const era of ERAS) {
    for (const quits of ['closes stdin', 'is sent SIGTERM'] as const) {
      it(`withdraws a call waiting for a yes when its ${era} client quits (the bridge ${quits})`, async () => {
        const { client, pid } = await stdioClient([], era);
        const api = adminApi(home);
        const waitingFor = async () => (await api.call('approvals.list', {})).requests.filter((r) => r.tool === 'delete_note' && r.arguments.includes(`gone-${era}`));
        try {
          void client.callTool({ name: 'call_tool', arguments: { id: 'rug__delete_note', arguments: { id: `gone-${era}` } } }).catch(() => undefined);
          await waitFor(async () => (await waitingFor()).length > 0, 'the call in the running Gatehouse’s approvals');
          if (quits === 'is sent SIGTERM') process.kill(pid()!, 'SIGTERM');
          else await client.close();
          // Nobody is left to hear the answer: the person is no longer asked.
          await waitFor(async () => (await waitingFor()).length === 0, 'the call to leave the approvals', 5_000);
        } finally {
          await client.close();
        }
      });
    }

    it(`serves a ${era} client through the running one, a server's questions to it included`, async () => {
      const { client } = await stdioClient([], era, true);
      try {
        expect(textOf(await client.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: `relayed ${era}` } } }))).toBe(`Echo: relayed ${era}`);
        // The server lists the tool that asks only to a client that can answer: new, it waits for the person's approval.
        const env = { GATEHOUSE_HOME: home };
        await waitFor(async () => {
          const review = JSON.parse((await runCli(['servers', 'review', 'everything', '--json'], env)).stdout) as { tools: { name: string }[] };
          return review.tools.some((t) => t.name === 'trigger-elicitation-request');
        }, 'the tool that asks to be listed');
        expect((await runCli(['servers', 'approve', 'everything', '--yes'], env)).code).toBe(0);
        const asked = await client.callTool({ name: 'call_tool', arguments: { id: 'everything__trigger-elicitation-request', arguments: {} } });
        expect(textOf(asked), textOf(asked)).toMatch(/red/);
      } finally {
        await client.close();
      }
    });
  }

  it('says where frames are traced when asked to trace them, and prints none itself', async () => {
    const { client, stderr } = await stdioClient(['--log-level', 'trace']);
    try {
      await client.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: 'traced?' } } });
      await waitFor(() => stderr().includes('Frames are traced by the running Gatehouse') || undefined, 'the note on tracing');
      expect(stderr()).not.toContain('traced?');
    } finally {
      await client.close();
    }
  });

  it('follows the running one when the person gives it a new token', async () => {
    const { client } = await stdioClient();
    try {
      await adminApi(home).call('gateway.rotateToken', {});
      expect(textOf(await client.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: 'after' } } }))).toBe('Echo: after');
    } finally {
      await client.close();
    }
  });

  it('serves one server under its own names with --server, and names a server that is not there', async () => {
    const { client } = await stdioClient(['--server', 'everything']);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('echo');
    } finally {
      await client.close();
    }
    const refused = await runCli(['stdio', '--server', 'nowhere'], { GATEHOUSE_HOME: home });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('No server "nowhere" is configured in Gatehouse.');
  });

  it('serves on its own with --read-only, which shapes only its own gateway', async () => {
    const { client, stderr } = await stdioClient(['--read-only']);
    try {
      expect(stderr()).not.toContain('Relaying');
      const manage = await client.callTool({ name: 'upstream_servers', arguments: { operation: 'remove', name: 'everything' } });
      expect(textOf(manage)).toContain('read-only');
    } finally {
      await client.close();
    }
  });
});

describe("the running Gatehouse's window, for an app that finds the home held", () => {
  it('is a sign-in address of the running one that works once', async () => {
    const url = await runningWindow(path.join(home, 'state', 'instance.json'));
    expect(url?.startsWith(`${new URL(gh.url).origin}/ui/login?code=`)).toBe(true);
    const first = await fetch(url!, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect((await fetch(url!, { redirect: 'manual' })).status).toBe(401);
  });

  it('is not there when no Gatehouse serves the home', async () => {
    const t = await tempHome();
    try {
      expect(await runningWindow(path.join(t.home, 'state', 'instance.json'))).toBeUndefined();
    } finally {
      t.cleanup();
    }
  });
});

describe('gatehouse stdio for two clients, with no Gatehouse running', () => {
  it("keeps serving the second client when the first, whose bridge answers the CLI, quits", async () => {
    const t = await tempHome({ mcpServers: { everything: servers.everything } });
    const first = await stdioClient([], '2025-11-25', false, t.home);
    const second = await stdioClient([], '2025-11-25', false, t.home);
    try {
      expect(second.stderr()).not.toContain('Relaying');
      expect((await runCli(['status'], { GATEHOUSE_HOME: t.home })).stdout).toContain("as a client's `gatehouse stdio`, until that client quits");
      // A person who starts `gatehouse serve` meanwhile is told what holds the home, and what to do.
      const serve = await runCli(['serve', '--port', '0'], { GATEHOUSE_HOME: t.home });
      expect(serve.code).not.toBe(0);
      expect(serve.stderr).toContain("A client's `gatehouse stdio` serves this home while that client runs");
      expect(serve.stderr).toContain('`gatehouse ui` opens its window');
      await first.client.close();
      expect(textOf(await second.client.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: 'still here' } } }))).toBe('Echo: still here');
    } finally {
      await second.client.close();
      t.cleanup();
    }
  });
});

describe("the relay, as the app's --stdio launch uses it", () => {
  const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'waiting', version: '1' } } };

  it('relays once the Gatehouse answers, and the client is answered what it sent meanwhile', async () => {
    const t = await tempHome({ mcpServers: { everything: servers.everything } });
    const input = new PassThrough();
    const output = new PassThrough();
    input.write(`${JSON.stringify(initialize)}\n`);
    const relaying = relayStdio({ instanceFile: path.join(t.home, 'state', 'instance.json'), input, output, log: () => undefined, waitMs: 30_000 });
    const started = await startServe(t.home);
    try {
      const relay = await relaying;
      expect(relay?.url).toBe(started.url);
      const line = await new Promise<string>((resolve) => output.once('data', (chunk: Buffer) => resolve(chunk.toString())));
      expect(JSON.parse(line)).toMatchObject({ id: 1, result: { serverInfo: { name: 'gatehouse' } } });
      input.end();
      await relay!.closed;
    } finally {
      await started.stop();
      t.cleanup();
    }
  });

  it('ends when the Gatehouse it relays to stops, so the client sees its server gone', async () => {
    const t = await tempHome({ mcpServers: { everything: servers.everything } });
    const started = await startServe(t.home);
    const logged: string[] = [];
    const input = new PassThrough();
    const output = new PassThrough();
    const relay = await relayStdio({ instanceFile: path.join(t.home, 'state', 'instance.json'), input, output, log: (text) => logged.push(text) });
    try {
      expect(relay).toBeDefined();
      await started.stop();
      let ended = false;
      void relay!.closed.then(() => (ended = true));
      // The client's next message finds no one there: it is answered why, and the bridge ends.
      const answered = new Promise<string>((resolve) => output.once('data', (chunk: Buffer) => resolve(chunk.toString())));
      input.write(`${JSON.stringify(initialize)}\n`);
      expect(JSON.parse(await answered)).toMatchObject({ id: 1, error: { message: expect.stringContaining('nothing answers at') } });
      await waitFor(() => ended || undefined, 'the bridge to end');
      expect(logged.join('\n')).toContain(`The Gatehouse at ${started.url} has stopped`);
    } finally {
      await relay?.close();
      t.cleanup();
    }
  });

  it('stops waiting as soon as the app it started has gone', async () => {
    const t = await tempHome();
    const began = Date.now();
    const relay = await relayStdio({ instanceFile: path.join(t.home, 'state', 'instance.json'), input: new PassThrough(), output: new PassThrough(), log: () => undefined, waitMs: 30_000, gaveUp: () => Date.now() - began > 300 });
    expect(relay).toBeUndefined();
    expect(Date.now() - began).toBeLessThan(5_000);
    t.cleanup();
  });
});
