// Upstream lifecycle against real processes: lazy start, idle stop, crash with backoff, reconnect,
// slow servers that must not hold up the rest, environment isolation, and the warm tool cache.
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../src-shared/api/index.js';
import type { Gatehouse } from '../src-main/core/index.js';
import { alive, openCore, servers, startServe, tempHome, textOf, waitFor } from './helpers.js';

const opened: { core: Gatehouse; cleanup: () => void }[] = [];
async function open(config: object) {
  const t = await tempHome(config);
  const { core, api } = await openCore(t.home);
  opened.push({ core, cleanup: t.cleanup });
  return new Person(api);
}

/** What a person sees and does through the admin API (the CLI, the UI). */
class Person {
  constructor(readonly api: ApiClient) {}
  async callTool(id: string, args: Record<string, unknown>) {
    return (await this.api.call('tools.call', { id, arguments: args })).result;
  }
  async statuses() {
    return (await this.api.call('servers.list', {})).servers;
  }
}
afterEach(async () => {
  for (const { core, cleanup } of opened.splice(0)) {
    await core.close();
    cleanup();
  }
});

function pidOf(result: unknown): number {
  return JSON.parse(textOf(result as { content: unknown })).pid as number;
}

describe('upstream lifecycle', () => {
  it('starts nothing until a server is used, then connects on first use', async () => {
    const core = await open({ mcpServers: { t: servers.fixture('test-server.mjs') } });
    expect((await core.statuses())[0].state).toBe('idle');
    const pid = pidOf(await core.callTool('t__whoami', {}));
    expect(alive(pid)).toBe(true);
    expect((await core.statuses())[0].state).toBe('ready');
  });

  it('lists the tools of a server that declares prompts and resources but has no lists of them', async () => {
    const core = await open({ mcpServers: { t: servers.fixture('test-server.mjs', '--no-lists') } });
    const { tools } = await core.api.call('tools.list', { server: 't' });
    expect(tools.map((t) => t.name)).toEqual(['whoami', 'spawn_child', 'crash']);
    expect((await core.statuses())[0].state).toBe('ready');
  });

  it('stops a server after idleTimeoutMinutes without calls', async () => {
    const core = await open({ mcpServers: { t: { ...servers.fixture('test-server.mjs'), idleTimeoutMinutes: 0.01 } } });
    const pid = pidOf(await core.callTool('t__whoami', {}));
    await waitFor(async () => (await core.statuses())[0].state === 'idle', 'idle shutdown', 5000);
    await waitFor(() => !alive(pid), 'process exit', 5000);
  });

  it('reconnects on the next call after the server dropped', async () => {
    const core = await open({ mcpServers: { t: servers.fixture('test-server.mjs') } });
    const first = pidOf(await core.callTool('t__whoami', {}));
    process.kill(first, 'SIGKILL');
    await waitFor(async () => (await core.statuses())[0].state !== 'ready', 'drop noticed');
    const second = pidOf(await core.callTool('t__whoami', {}));
    expect(second).not.toBe(first);
  });

  it('reports a server that fails to start, with its reason, and backs off instead of looping', async () => {
    const core = await open({ mcpServers: { bad: servers.fixture('test-server.mjs', '--die-at-start') } });
    await expect(core.callTool('bad__anything', {})).rejects.toThrow(/API_KEY is not set/);
    const status = (await core.statuses())[0];
    expect(status.state).toBe('error');
    expect(status.reason).toMatch(/API_KEY is not set/);
    expect(status.retryAt).toBeGreaterThan(Date.now());
    // Within the backoff window, a call does not start the process again.
    await expect(core.callTool('bad__anything', {})).rejects.toThrow(/next try in \d+ s/);
  });

  it('says why a program could not start in its own words, not its runtime\'s sign-off', async () => {
    const missing = path.join(os.tmpdir(), 'gatehouse-no-such-dir', 'server.mjs');
    const core = await open({ mcpServers: { gone: { command: process.execPath, args: [missing] } } });
    await expect(core.callTool('gone__anything', {})).rejects.toThrow(/Cannot find module/);
    const status = (await core.statuses())[0];
    expect(status.reason).toContain(`Error: Cannot find module '${missing}'`);
    expect(status.reason).not.toMatch(/Node\.js v\d/);
  });

  it('restarts a crashed server in the background with backoff', async () => {
    const core = await open({ mcpServers: { t: servers.fixture('test-server.mjs') } });
    await core.callTool('t__whoami', {});
    await core.callTool('t__crash', {}).catch(() => undefined);
    const crashed = await waitFor(async () => (await core.statuses()).find((s) => s.state === 'error'), 'error status');
    expect(crashed.reason).toMatch(/exit code 7|crashing on purpose/);
    await waitFor(async () => (await core.statuses())[0].state === 'ready', 'automatic restart', 5000);
  });

  it('gives up on a call after the server\'s callTimeoutSeconds, and the server stays usable', async () => {
    const core = await open({ mcpServers: { everything: { ...servers.everything, callTimeoutSeconds: 1 } } });
    const started = Date.now();
    await expect(core.callTool('everything__trigger-long-running-operation', { duration: 5, steps: 1 })).rejects.toThrow(/did not answer within 1 s/);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(textOf((await core.callTool('everything__echo', { message: 'ok' })) as { content: unknown })).toBe('Echo: ok');
  });

  it('gives a stdio server only its own env plus a safe base, and its cwd', async () => {
    process.env.GATEHOUSE_TEST_PROXY_SECRET = 'proxy-only-value';
    try {
      const core = await open({ mcpServers: { t: { ...servers.fixture('test-server.mjs'), env: { MY_SETTING: 'on' }, cwd: '/tmp' } } });
      const info = JSON.parse(textOf((await core.callTool('t__whoami', {})) as { content: unknown }));
      expect(info.env.MY_SETTING).toBe('on');
      expect(info.env.PATH).toBeTruthy();
      expect(info.env.GATEHOUSE_TEST_PROXY_SECRET).toBeUndefined();
      expect(info.cwd).toBe('/tmp');
    } finally {
      delete process.env.GATEHOUSE_TEST_PROXY_SECRET;
    }
  });

  it('reads "~" in a cwd as the home folder, and says so when the folder does not exist rather than blaming the command', async () => {
    const core = await open({
      mcpServers: { home: { ...servers.fixture('test-server.mjs'), cwd: '~' }, lost: { ...servers.fixture('test-server.mjs'), cwd: '~/gatehouse-no-such-folder' } },
    });
    expect(JSON.parse(textOf((await core.callTool('home__whoami', {})) as { content: unknown })).cwd).toBe(os.homedir());
    await expect(core.callTool('lost__whoami', {})).rejects.toThrow(`its folder "${path.join(os.homedir(), 'gatehouse-no-such-folder')}" (cwd) does not exist`);
  });


  it('keeps the catalog on disk: a second start can search it without starting anything', async () => {
    const t = await tempHome({ mcpServers: { everything: servers.everything, memory: servers.memory } });
    try {
      const first = await openCore(t.home, { catalogueNewServers: true });
      await first.api.call('tools.list', {});
      await first.core.close();
      const second = await openCore(t.home, { catalogueNewServers: true });
      try {
        const { results } = await second.api.call('tools.search', { query: 'echo back a message', limit: 5 });
        expect(results.map((h) => h.id)).toContain('everything__echo');
        // Nothing was started: every server is idle (a started one would be connecting or ready).
        expect((await second.api.call('servers.list', {})).servers.every((s) => s.state === 'idle')).toBe(true);
      } finally {
        await second.core.close();
      }
    } finally {
      t.cleanup();
    }
  });
});

describe('shutdown', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`kills every server's whole process group on ${signal}`, async () => {
      const t = await tempHome({ mode: 'direct', mcpServers: { t: servers.fixture('test-server.mjs') } });
      const gh = await startServe(t.home);
      try {
        const { connectClient } = await import('./helpers.js');
        const client = await connectClient(gh.url, gh.token);
        const server = pidOf(await client.callTool({ name: 't__whoami', arguments: {} }));
        const grandchild = pidOf(await client.callTool({ name: 't__spawn_child', arguments: {} }));
        expect(alive(server) && alive(grandchild)).toBe(true);
        await client.close();
        expect(await gh.stop(signal)).toBe(0);
        await waitFor(() => !alive(server) && !alive(grandchild), 'no orphans', 5000);
      } finally {
        await gh.stop('SIGKILL');
        t.cleanup();
      }
    });
  }
});
