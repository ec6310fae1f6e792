// How the CLI reaches Gatehouse: through the admin API of a running Gatehouse when there is one (so a
// change takes effect at once), else through an in-process core working on the files directly.
import { readFileSync } from 'node:fs';
import { createApiClient, httpTransport, type ApiClient } from '../../src-shared/api/index.js';
import { homePaths, inMemoryTransport, resolveHome } from '../core/index.js';
import { openCore, type CoreOptions } from './open-core.js';

export interface Connection {
  api: ApiClient;
  /** True when talking to a running Gatehouse. */
  remote: boolean;
  close(): Promise<void>;
}

export interface ConnectOptions extends CoreOptions {
  port?: number;
  /** Work in this process even when a Gatehouse is running (e.g. to trace frames here). */
  local?: boolean;
}

export function readInstance(file: string): { pid: number; port: number } | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { pid?: number; port?: number };
    if (typeof value.pid !== 'number' || typeof value.port !== 'number') return undefined;
    process.kill(value.pid, 0);
    return { pid: value.pid, port: value.port };
  } catch {
    return undefined;
  }
}

function readAdminToken(file: string): string | undefined {
  if (process.env.GATEHOUSE_ADMIN_TOKEN) return process.env.GATEHOUSE_ADMIN_TOKEN;
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

async function tryRemote(port: number, token: string): Promise<ApiClient | undefined> {
  const baseUrl = `http://127.0.0.1:${port}`;
  // A quick probe first, so a stale instance file costs at most a moment.
  const probe = createApiClient(httpTransport({ baseUrl, token, fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(2000) }) }));
  try {
    await probe.call('status.get', {});
  } catch {
    return undefined;
  }
  return createApiClient(httpTransport({ baseUrl, token }));
}

export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const paths = homePaths(resolveHome());
  if (!options.local) {
    const port = options.port ?? readInstance(paths.instance)?.port;
    const token = readAdminToken(paths.adminToken);
    if (port !== undefined && token) {
      const api = await tryRemote(port, token);
      if (api) return { api, remote: true, close: async () => undefined };
    }
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
