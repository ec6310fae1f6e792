// No lost writes: changes sent at once through the admin API, and CLI commands run at once against the
// same home with no Gatehouse running, all land in config.json; a trust decision that cannot be saved is
// reported and not taken.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient, httpTransport, ApiError } from '../src-shared/api/index.js';
import { openCore, runCli, servers, tempHome } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const configured = (home: string) => Object.keys(JSON.parse(readFileSync(path.join(home, 'config.json'), 'utf8')).mcpServers ?? {}).sort();

describe('config.json writes', () => {
  it('keeps all five servers added at once through the admin API', async () => {
    const t = await tempHome();
    cleanups.push(t.cleanup);
    const { core } = await openCore(t.home, { env: { ...process.env, GATEHOUSE_ADMIN_TOKEN: 'admin-token' } });
    cleanups.push(() => core.close());
    const { port } = await core.listen(0);
    const api = createApiClient(httpTransport({ baseUrl: `http://127.0.0.1:${port}`, token: 'admin-token' }));
    const names = ['one', 'two', 'three', 'four', 'five'];
    const added = await Promise.all(names.map((name) => api.call('servers.add', { name, config: servers.memory })));
    expect(added.map((a) => a.server.trust)).toEqual(names.map(() => 'quarantined'));
    expect(configured(t.home)).toEqual([...names].sort());
    expect((await api.call('servers.list', {})).servers.map((s) => s.name).sort()).toEqual([...names].sort());
  });

  it('keeps every server added by CLI commands run at once with no Gatehouse running', async () => {
    const t = await tempHome();
    cleanups.push(t.cleanup);
    const env = { GATEHOUSE_HOME: t.home };
    const names = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
    const runs = await Promise.all(names.map((name) => runCli(['servers', 'add', name, '--', process.execPath, '--version'], env)));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect(configured(t.home)).toEqual([...names].sort());
  });

  it('treats a server named like an Object member as a name like any other', async () => {
    const t = await tempHome();
    cleanups.push(t.cleanup);
    const { core, api } = await openCore(t.home);
    cleanups.push(() => core.close());
    await api.call('servers.add', { name: 'constructor', config: servers.memory });
    expect(configured(t.home)).toEqual(['constructor']);
    await api.call('servers.remove', { name: 'constructor' });
    expect(configured(t.home)).toEqual([]);
  });
});

describe('trust decisions on disk', () => {
  it('reports an approval that could not be saved, and does not take it', async () => {
    const t = await tempHome({ mcpServers: { memory: servers.memory } }, { quarantine: true });
    cleanups.push(t.cleanup);
    const { core, api } = await openCore(t.home);
    cleanups.push(() => core.close());
    // The state folder's trust file cannot be replaced: a folder (with something in it) stands in its way.
    const trustFile = path.join(t.home, 'state', 'trust.json');
    rmSync(trustFile, { force: true });
    mkdirSync(trustFile);
    writeFileSync(path.join(trustFile, 'in-the-way'), '');
    let error: ApiError | undefined;
    try {
      await api.call('servers.approve', { name: 'memory' });
    } catch (err) {
      error = err as ApiError;
    }
    expect(error?.message).toMatch(/could not save your decision, so it was not taken/);
    expect((await api.call('servers.get', { name: 'memory' })).server.trust).toBe('quarantined');
    expect((await api.call('tools.list', {})).tools).toEqual([]);
  });
});
