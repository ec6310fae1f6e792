// Reaching the Gatehouse that runs for a home, from another process (a CLI command, a client's stdio
// bridge): the instance file says where it listens, the admin API's local socket answers.
import { readFileSync } from 'node:fs';
import { createApiClient, httpTransport, type ApiClient, type ApiTransport } from '../../../src-shared/api/index.js';
import type { Instance } from '../host/index.js';
import { socketFetch } from './socket-fetch.js';

/** The instance file's Gatehouse, when its process is alive (whether it still answers is the caller's to try). */
export function readInstance(file: string): Instance | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; port?: unknown; admin?: unknown; stdio?: unknown };
    if (typeof value.pid !== 'number' || typeof value.port !== 'number') return undefined;
    process.kill(value.pid, 0);
    return { pid: value.pid, port: value.port, admin: typeof value.admin === 'string' ? value.admin : undefined, ...(value.stdio === true && { stdio: true }) };
  } catch {
    return undefined;
  }
}

/**
 * The admin API of a running Gatehouse: through its local socket, or over its port with the token the
 * person set as GATEHOUSE_ADMIN_TOKEN (for a Gatehouse started with it).
 */
export function adminTransport(instance: Instance, timeoutMs?: number, env: NodeJS.ProcessEnv = process.env): ApiTransport | undefined {
  // The host name is not looked up: every request goes through the socket.
  if (instance.admin) return httpTransport({ baseUrl: 'http://localhost', fetch: socketFetch(instance.admin, timeoutMs) });
  const token = env.GATEHOUSE_ADMIN_TOKEN;
  if (!token) return undefined;
  const signal = () => (timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs));
  return httpTransport({ baseUrl: `http://127.0.0.1:${instance.port}`, token, fetch: (url, init) => fetch(url, { ...init, signal: init?.signal ?? signal() }) });
}

/** The running Gatehouse's admin API, when it answers a quick probe (a stale instance file costs a moment at most). */
export async function reachAdmin(instance: Instance, env: NodeJS.ProcessEnv = process.env): Promise<ApiClient | undefined> {
  const probe = adminTransport(instance, 2000, env);
  if (!probe) return undefined;
  try {
    await createApiClient(probe).call('status.get', {});
  } catch {
    return undefined;
  }
  return createApiClient(adminTransport(instance, undefined, env)!);
}

/**
 * Where the Gatehouse serving this home takes MCP clients, with its token (and, for `server`, why its own
 * endpoint refuses clients, when it does); undefined when none runs, or when the one that runs is another
 * client's stdio bridge, which ends when that client quits.
 */
export async function runningGateway(
  instanceFile: string,
  env: NodeJS.ProcessEnv = process.env,
  server?: string,
): Promise<{ url: string; token: string; unavailable?: string } | undefined> {
  const instance = readInstance(instanceFile);
  if (!instance || instance.stdio) return undefined;
  const api = await reachAdmin(instance, env);
  if (!api) return undefined;
  const { url, token, unavailable } = await api.call('gateway.connection', { server }).catch(() => ({ url: undefined, token: '', unavailable: undefined }));
  return url ? { url, token, ...(unavailable && { unavailable }) } : undefined;
}

/** A one-time sign-in address for the window of the Gatehouse serving this home; undefined when none answers. */
export async function runningWindow(instanceFile: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const instance = readInstance(instanceFile);
  const api = instance && (await reachAdmin(instance, env));
  return api ? (await api.call('ui.login', {})).url : undefined;
}
