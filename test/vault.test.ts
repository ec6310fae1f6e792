// A remote vault and Gatehouse as separate processes on loopback: `gatehouse vault serve` holding the API
// key, a Gatehouse with a `type: "vault"` server, and a local test API that checks the header the vault
// puts on. Then every refusal: unknown client key, wrong vault key, tampered and replayed records, a URL
// outside the routes, a redirect out of them, the rate limit, a secret echoed back — and the vault serving
// on through all of it, re-handshaking after it restarts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../src-shared/api/index.js';
import type { Gatehouse } from '../src-main/core/index.js';
import { ClientHandshake, generateKeys, VaultClient, VaultConfigSchema, VaultServer, type KeyPairs, type PublicKeys } from '../src-main/core/vault/index.js';
import { BIN, freePort, openCore, runCli, tempHome, textOf, waitFor } from './helpers.js';

const API_KEY = 's3cret-api-key-7f3a9c';

let api: Server;
let apiUrl: string;
let elsewhere: Server;
let elsewhereUrl: string;
let vaultHomeDir: string;
let vaultUrl: string;
let vaultKeys: PublicKeys;
let vaultProcess: ChildProcess;
let core: Gatehouse;
let admin: ApiClient;
let cleanup: () => void;
const other: KeyPairs = generateKeys();

async function listen(handler: Parameters<typeof createServer>[1]): Promise<[Server, string]> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
}

async function startVault(): Promise<void> {
  vaultProcess = spawn(process.execPath, [BIN, 'vault', 'serve'], { env: { ...process.env, GATEHOUSE_VAULT_HOME: vaultHomeDir, API_KEY } });
  let out = '';
  vaultProcess.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  vaultProcess.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  await waitFor(() => out.includes('Vault listening'), `the vault to listen (${out})`, 20_000);
}

async function stopVault(): Promise<void> {
  const exited = new Promise((r) => vaultProcess.once('exit', r));
  vaultProcess.kill('SIGTERM');
  await exited;
}

async function call(tool: string, args: Record<string, unknown>) {
  const { result } = await admin.call('tools.call', { id: `vault__${tool}`, arguments: args });
  return { text: textOf(result), isError: !!result.isError };
}

beforeAll(async () => {
  [api, apiUrl] = await listen((req, res) => {
    if (req.url === '/check') return void res.writeHead(req.headers.authorization === `Bearer ${API_KEY}` ? 200 : 401).end(req.headers.authorization === `Bearer ${API_KEY}` ? 'key accepted' : 'no key');
    if (req.url === '/echo') return void res.writeHead(200, { 'content-type': 'application/json', 'x-echo': String(req.headers.authorization) }).end(JSON.stringify({ headers: req.headers }));
    if (req.url === '/redirect-in') return void res.writeHead(302, { location: '/check' }).end();
    if (req.url === '/redirect-out') return void res.writeHead(302, { location: `${elsewhereUrl}/steal` }).end();
    res.writeHead(404).end();
  });
  [elsewhere, elsewhereUrl] = await listen((_req, res) => void res.writeHead(200).end('elsewhere'));

  vaultHomeDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-vault-'));
  const made = await runCli(['vault', 'keygen', '--vault', '--json'], { GATEHOUSE_VAULT_HOME: vaultHomeDir });
  expect(made.code, made.stderr).toBe(0);
  const { fingerprint: _f, ...vaultPublic } = JSON.parse(made.stdout) as PublicKeys & { fingerprint: string };
  vaultKeys = vaultPublic;
  const port = await freePort();
  vaultUrl = `http://127.0.0.1:${port}`;

  const t = await tempHome({ mcpServers: { vault: { type: 'vault', url: vaultUrl, vault: vaultKeys } }, searchByMeaning: false });
  cleanup = t.cleanup;
  const local = await runCli(['vault', 'keygen', '--json'], { GATEHOUSE_HOME: t.home });
  expect(local.code, local.stderr).toBe(0);
  const localKeys = JSON.parse(local.stdout) as PublicKeys;
  const authorized = await runCli(['vault', 'authorize', 'laptop', '--', localKeys.sign, localKeys.agree], { GATEHOUSE_VAULT_HOME: vaultHomeDir });
  expect(authorized.code, authorized.stderr).toBe(0);
  await runCli(['vault', 'authorize', 'desktop', '--', other.public.sign, other.public.agree], { GATEHOUSE_VAULT_HOME: vaultHomeDir });
  const odd = await runCli(['vault', 'authorize', '__proto__', '--', other.public.sign, other.public.agree], { GATEHOUSE_VAULT_HOME: vaultHomeDir });
  expect([odd.code, odd.stderr.trim()]).toEqual([2, 'gatehouse: "__proto__" is not a valid client name: 1-64 letters, digits, "_", "-" or ".", starting with a letter or digit']);
  const file = path.join(vaultHomeDir, 'vault.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(
    file,
    JSON.stringify({
      ...config,
      port,
      rateLimitPerMinute: 12,
      routes: [{ name: 'test-api', description: 'The test API', docsUrl: `${apiUrl}/docs`, allowedEndpoints: [`${apiUrl}/**`], headers: { Authorization: 'Bearer ${API_KEY}' } }],
    }),
  );
  await startVault();
  ({ core, api: admin } = await openCore(t.home));
}, 60_000);

afterAll(async () => {
  await core?.close();
  await stopVault().catch(() => undefined);
  api?.close();
  elsewhere?.close();
  cleanup?.();
  rmSync(vaultHomeDir, { recursive: true, force: true });
});

describe('a remote vault', () => {
  it('is a server with three tools; a request gets the key from the vault, and no secret reaches this side', async () => {
    const { tools } = await admin.call('tools.list', { server: 'vault' });
    expect(tools.map((t) => t.name).sort()).toEqual(['get_route_docs', 'list_routes', 'secure_request']);
    const ok = await call('secure_request', { url: `${apiUrl}/check` });
    expect(ok.isError).toBe(false);
    expect(JSON.parse(ok.text)).toMatchObject({ status: 200, body: 'key accepted' });
    const routes = await call('list_routes', {});
    expect(JSON.parse(routes.text).routes[0]).toMatchObject({ name: 'test-api', headers: ['Authorization'], placeholders: ['API_KEY'] });
    expect(routes.text).not.toContain(API_KEY);
    expect(JSON.parse((await call('get_route_docs', { route: 'test-api' })).text)).toMatchObject({ docsUrl: `${apiUrl}/docs` });
  });

  it('scrubs a secret the API echoes back, in the body and in headers', async () => {
    const echoed = await call('secure_request', { url: `${apiUrl}/echo` });
    expect(echoed.text).not.toContain(API_KEY);
    expect(echoed.text).toContain('[removed by the vault]');
  });

  it('refuses a URL outside every route, and a redirect that leaves the route; follows one that stays', async () => {
    const outside = await call('secure_request', { url: `${elsewhereUrl}/anything` });
    expect(outside.isError).toBe(true);
    expect(outside.text).toMatch(/outside every route/);
    const out = await call('secure_request', { url: `${apiUrl}/redirect-out` });
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/redirected to .* outside route "test-api": not followed/);
    const inside = await call('secure_request', { url: `${apiUrl}/redirect-in` });
    expect(JSON.parse(inside.text)).toMatchObject({ status: 200, body: 'key accepted' });
  });

  it('refuses an unknown client key and a vault with other keys, and serves on', async () => {
    const stranger = new VaultClient(vaultUrl, async () => generateKeys(), vaultKeys);
    await expect(stranger.call({ op: 'routes' })).rejects.toThrow(/not authorized on the vault/);
    const fooled = new VaultClient(vaultUrl, async () => other, generateKeys().public);
    await expect(fooled.call({ op: 'routes' })).rejects.toThrow(/not the vault you set up/);
    expect((await call('list_routes', {})).isError).toBe(false);
  });

  it('refuses a tampered record and a replayed one on the wire, and serves on', async () => {
    const handshake = new ClientHandshake(other, vaultKeys);
    const post = (p: string, body: unknown) => fetch(`${vaultUrl}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const { finish, session } = handshake.finish(await (await post('/v1/hello', handshake.hello)).json());
    expect((await post('/v1/finish', finish)).status).toBe(200);
    const first = session.seal(JSON.stringify({ op: 'routes' }));
    const bytes = Buffer.from(first.data, 'base64url');
    bytes[3] ^= 0x40;
    const tampered = await post('/v1/call', { ...first, data: bytes.toString('base64url') });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toMatchObject({ error: 'tampered' });
    expect((await post('/v1/call', first)).status).toBe(200);
    const replayed = await post('/v1/call', first);
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ error: 'replayed' });
    expect((await call('list_routes', {})).isError).toBe(false);
  });

  it('handshakes again without the caller noticing when the vault forgot the session (it restarted)', async () => {
    await stopVault();
    await startVault();
    const ok = await call('secure_request', { url: `${apiUrl}/check` });
    expect(JSON.parse(ok.text)).toMatchObject({ status: 200 });
  });

  it('limits each client to its rate, while another client is served; the audit log holds no secret', async () => {
    let limited: string | undefined;
    for (let i = 0; i < 15 && !limited; i++) {
      const r = await call('secure_request', { url: `${apiUrl}/check` });
      if (r.isError) limited = r.text;
    }
    expect(limited).toMatch(/rate limit: at most 12 requests a minute/);
    const desktop = new VaultClient(vaultUrl, async () => other, vaultKeys);
    expect(await desktop.call({ op: 'request', url: `${apiUrl}/check` })).toMatchObject({ status: 200 });
    const audit = readFileSync(path.join(vaultHomeDir, 'audit.jsonl'), 'utf8');
    expect(audit).toMatch(/"outcome":"rate-limited"/);
    expect(audit).toMatch(/"client":"desktop"/);
    expect(audit).not.toContain(API_KEY);
  });

  it('keeps keys in files only their owner may read, in a folder only they may enter', () => {
    const dir = path.join(vaultHomeDir, 'keys');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of ['sign.pem', 'agree.pem']) expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
  });

  it('handshakes again, unnoticed, when a session expires after 30 minutes', async () => {
    let now = Date.now();
    const vaultSide = generateKeys();
    const laptop = generateKeys();
    const audit = path.join(vaultHomeDir, 'clock-audit.jsonl');
    const config = VaultConfigSchema.parse({ port: 0, clients: { laptop: laptop.public }, routes: [{ name: 'test-api', allowedEndpoints: [`${apiUrl}/**`], headers: { Authorization: 'Bearer ${API_KEY}' } }] });
    const server = new VaultServer({ config: () => config, keys: vaultSide, keychain: async () => undefined, env: { API_KEY }, auditFile: audit, now: () => now });
    const { url } = await server.listen();
    try {
      const client = new VaultClient(url, async () => laptop, vaultSide.public);
      expect(await client.call({ op: 'request', url: `${apiUrl}/check` })).toMatchObject({ status: 200 });
      now += 31 * 60_000;
      expect(await client.call({ op: 'request', url: `${apiUrl}/check` })).toMatchObject({ status: 200 });
      const opened = readFileSync(audit, 'utf8').split('\n').filter((l) => l.includes('"outcome":"opened"'));
      expect(opened).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});
