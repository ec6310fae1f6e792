// How the CLI reaches Gatehouse: through the admin API of a running Gatehouse when there is one (so a
// change takes effect at once), else through an in-process core working on the files directly.
import { readFileSync } from 'node:fs';
import { createApiClient, httpTransport, type ApiClient, type ApiTransport } from '../../src-shared/api/index.js';
import { homePaths, inMemoryTransport, resolveHome, type Instance } from '../core/index.js';
import { openCore, type CoreOptions } from './open-core.js';
import { socketFetch } from './socket-fetch.js';

export interface Connection {
  api: ApiClient;
  /** True when talking to a running Gatehouse. */
  remote: boolean;
  close(): Promise<void>;
}

export interface ConnectOptions extends CoreOptions {
  /** Work in this process even when a Gatehouse is running (e.g. to trace frames here). */
  local?: boolean;
}

export function readInstance(file: string): Instance | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; port?: unknown; admin?: unknown };
    if (typeof value.pid !== 'number' || typeof value.port !== 'number') return undefined;
    process.kill(value.pid, 0);
    return { pid: value.pid, port: value.port, admin: typeof value.admin === 'string' ? value.admin : undefined };
  } catch {
    return undefined;
  }
}

/**
 * The admin API of a running Gatehouse: through its local socket, or over its port with the token the
 * person set as GATEHOUSE_ADMIN_TOKEN (for a Gatehouse started with it).
 */
export function adminTransport(instance: Instance, timeoutMs?: number): ApiTransport | undefined {
  // The host name is not looked up: every request goes through the socket.
  if (instance.admin) return httpTransport({ baseUrl: 'http://localhost', fetch: socketFetch(instance.admin, timeoutMs) });
  const token = process.env.GATEHOUSE_ADMIN_TOKEN;
  if (!token) return undefined;
  const signal = () => (timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs));
  return httpTransport({ baseUrl: `http://127.0.0.1:${instance.port}`, token, fetch: (url, init) => fetch(url, { ...init, signal: init?.signal ?? signal() }) });
}

async function tryRemote(instance: Instance): Promise<ApiClient | undefined> {
  // A quick probe first, so a stale instance file costs at most a moment.
  const probe = adminTransport(instance, 2000);
  if (!probe) return undefined;
  try {
    await createApiClient(probe).call('status.get', {});
  } catch {
    return undefined;
  }
  return createApiClient(adminTransport(instance)!);
}

export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const paths = homePaths(resolveHome());
  const instance = options.local ? undefined : readInstance(paths.instance);
  if (instance) {
    const api = await tryRemote(instance);
    if (api) return { api, remote: true, close: async () => undefined };
  }
  const core = await openCore(options);
  return { api: createApiClient(inMemoryTransport(core.admin)), remote: false, close: () => core.close() };
}

/** Runs `fn` with a connection and closes it afterwards. */
export async function withApi<T>(options: ConnectOptions, fn: (api: ApiClient, remote: boolean) => Promise<T>): Promise<T> {
  const connection = await connect(options);
  try {
    return await fn(connection.api, connection.remote);
  } finally {
    await connection.close();
  }
}
