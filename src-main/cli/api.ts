// How the CLI reaches Gatehouse: through the admin API of a running Gatehouse when there is one (so a
// change takes effect at once), else through an in-process core working on the files directly.
import { createApiClient, type ApiClient } from '../../src-shared/api/index.js';
import { homePaths, inMemoryTransport, reachAdmin, readInstance, resolveHome } from '../core/index.js';
import { openCore, type CoreOptions } from './open-core.js';

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

export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const paths = homePaths(resolveHome());
  const instance = options.local ? undefined : readInstance(paths.instance);
  if (instance) {
    const api = await reachAdmin(instance);
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
