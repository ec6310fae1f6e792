// Secrets end to end: placeholders resolved only at start, a missing secret as a status (not a crash),
// the real OS keychain, and a plain answer when there is none.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Gatehouse } from '../src-main/core/index.js';
import { KeychainSecretStore } from '../src-main/core/secrets/index.js';
import { connectClient, openCore, runCli, servers, tempHome, textOf } from './helpers.js';
import { requireKeychain } from './keychain.js';

const opened: { core: Gatehouse; cleanup: () => void }[] = [];
afterEach(async () => {
  for (const { core, cleanup } of opened.splice(0)) {
    await core.close();
    cleanup();
  }
});

describe('placeholders and the needs-secret state', () => {
  it('waits for a missing secret with a status that names it, then starts once it is set', async () => {
    const t = await tempHome({ mcpServers: { t: { ...servers.fixture('test-server.mjs'), env: { API_KEY: '${keyring:api_key}', REGION: '${env:GH_TEST_REGION}' } } } });
    const { core, api } = await openCore(t.home, { env: { GATEHOUSE_SECRET_STORE: 'memory', GH_TEST_REGION: 'eu-1' } });
    opened.push({ core, cleanup: t.cleanup });
    const status = async () => (await api.call('servers.list', {})).servers[0];

    await expect(api.call('tools.call', { id: 't__whoami', arguments: {} })).rejects.toThrow(/needs secret api_key: set it with `gatehouse secrets set api_key`/);
    expect((await status()).state).toBe('needs-secret');
    expect((await status()).reason).toMatch(/api_key/);

    await api.call('secrets.set', { name: 'api_key', value: 'value-from-the-keychain' });
    expect((await status()).state).toBe('idle');
    const env = JSON.parse(textOf((await api.call('tools.call', { id: 't__whoami', arguments: {} })).result)).env;
    expect(env.API_KEY).toBe('value-from-the-keychain');
    expect(env.REGION).toBe('eu-1');
    expect(readFileSync(path.join(t.home, 'config.json'), 'utf8')).toContain('${keyring:api_key}');
    expect(readFileSync(path.join(t.home, 'config.json'), 'utf8')).not.toContain('value-from-the-keychain');
  });

  it('refuses placeholders where they make no sense, and misspelt ones', async () => {
    const t = await tempHome();
    const { core, api } = await openCore(t.home, { env: { GATEHOUSE_SECRET_STORE: 'memory' } });
    opened.push({ core, cleanup: t.cleanup });
    await expect(api.call('servers.add', { name: 'x', config: { command: '${keyring:bin}' } })).rejects.toThrow(/placeholders are not allowed in "command"/);
    await expect(api.call('servers.add', { name: 'y', config: { command: 'node', env: { A: '${vault:a}' } } })).rejects.toThrow(/"\$\{vault:a\}" is not a placeholder Gatehouse knows/);
    await expect(api.call('servers.add', { name: '${keyring:n}', config: { command: 'node' } })).rejects.toThrow(/name|server name/);
  });
});

describe('secrets typed into a server entry', () => {
  it('go into the secret store, never config.json: a person\'s add and update, and an agent\'s add, which may not replace a stored secret', async () => {
    const t = await tempHome();
    const { core, api } = await openCore(t.home, { env: { GATEHOUSE_SECRET_STORE: 'memory', GATEHOUSE_TOKEN: 'typed-token' } });
    opened.push({ core, cleanup: t.cleanup });
    const config = () => readFileSync(path.join(t.home, 'config.json'), 'utf8');

    const added = await api.call('servers.add', { name: 't', config: { ...servers.fixture('test-server.mjs'), env: { API_KEY: 'typed-key-5521', LOG_LEVEL: 'info' } } });
    expect(added.secrets).toEqual(['t.API_KEY']);
    expect((await api.call('servers.get', { name: 't' })).config.env).toEqual({ API_KEY: '${keyring:t.API_KEY}', LOG_LEVEL: 'info' });
    expect(config()).not.toContain('typed-key-5521');
    // The server still gets the value it was given.
    await api.call('servers.approve', { name: 't', reviewed: (await api.call('servers.review', { name: 't' })).review.reviewed });
    expect(JSON.parse(textOf((await api.call('tools.call', { id: 't__whoami', arguments: {} })).result)).env.API_KEY).toBe('typed-key-5521');

    const remote = { type: 'http' as const, url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer typed-bearer-7710' } };
    await api.call('servers.add', { name: 'r', config: { type: 'http', url: 'http://127.0.0.1:9/mcp' } });
    expect((await api.call('servers.update', { name: 'r', config: remote })).secrets).toEqual(['r.Authorization']);
    expect(config()).not.toContain('typed-bearer-7710');
    expect((await api.call('secrets.list', {})).secrets.filter((s) => s.set).map((s) => s.name)).toEqual(['r.Authorization', 't.API_KEY']);

    // An agent's literal secrets are kept out too; a stored secret of that name it may not replace.
    const client = await connectClient((await core.listen(0)).url, 'typed-token');
    try {
      const manage = async (args: Record<string, unknown>) => textOf(await client.callTool({ name: 'upstream_servers', arguments: args }));
      expect(await manage({ operation: 'add', name: 'a', config: { command: 'node', env: { SERVICE_TOKEN: 'agent-token-3391' } } })).toContain(
        "Its secret values are kept in Gatehouse's secret store (a.SERVICE_TOKEN), not in config.json.",
      );
      expect(config()).not.toContain('agent-token-3391');
      expect(await manage({ operation: 'update', name: 't', config: { command: 'node', env: { API_KEY: 'agent-replacement' } } })).toMatch(
        /a secret named "t.API_KEY" is set already, and an agent may not replace it/,
      );
      expect((await api.call('secrets.reveal', { name: 't.API_KEY' })).value).toBe('typed-key-5521');
    } finally {
      await client.close();
    }
  });
});

describe('the OS keychain', () => {
  it('stores, lists, reads and deletes secrets in the real keychain', async () => {
    if (!(await requireKeychain())) return;
    const store = new KeychainSecretStore(`Gatehouse-test-${randomBytes(4).toString('hex')}`);
    await store.set('github_token', 'ghp_keychainvalue');
    await store.set('other', 'another-value');
    expect(await store.get('github_token')).toBe('ghp_keychainvalue');
    expect(await store.list()).toEqual(['github_token', 'other']);
    expect(await store.delete('github_token')).toBe(true);
    expect(await store.delete('other')).toBe(true);
    expect(await store.get('github_token')).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });

  it('works from the CLI: set from stdin and from the environment, list names only, get, delete', async () => {
    if (!(await requireKeychain())) return;
    const t = await tempHome({ mcpServers: { gh: { command: 'node', env: { TOKEN: '${keyring:gh_cli_test}' } } } });
    try {
      const env = { GATEHOUSE_HOME: t.home, SOURCE_VALUE: 'value-from-env-var' };
      expect((await runCli(['secrets', 'set', 'gh_cli_test'], env, 'value-from-stdin\n')).code).toBe(0);
      const list = await runCli(['secrets', 'list'], env);
      expect(list.stdout).toMatch(/gh_cli_test\s+yes\s+gh/);
      expect(list.stdout).not.toContain('value-from-stdin');
      expect((await runCli(['secrets', 'get', 'gh_cli_test'], env)).stdout.trim()).toBe('value-from-stdin');
      expect((await runCli(['secrets', 'set', 'gh_cli_test', '--from-env', 'SOURCE_VALUE'], env)).code).toBe(0);
      expect((await runCli(['secrets', 'get', 'gh_cli_test'], env)).stdout.trim()).toBe('value-from-env-var');
      expect((await runCli(['secrets', 'delete', 'gh_cli_test'], env)).code).toBe(0);
      const after = await runCli(['secrets', 'list', '--json'], env);
      expect(JSON.parse(after.stdout).secrets).toEqual([{ name: 'gh_cli_test', set: false, usedBy: ['gh'] }]);
    } finally {
      t.cleanup();
    }
  });

  it('says plainly when no keychain is reachable, and stores nothing anywhere else', async () => {
    const t = await tempHome();
    try {
      const r = await runCli(['secrets', 'set', 'x'], { GATEHOUSE_HOME: t.home, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }, 'value\n');
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/No keychain is reachable/);
      expect(r.stderr).toMatch(/GATEHOUSE_SECRET_STORE=encrypted-file/);
      const files = await import('node:fs').then((fs) => fs.readdirSync(path.join(t.home, 'state')));
      expect(files).not.toContain('secrets.enc');
    } finally {
      t.cleanup();
    }
  });
});
