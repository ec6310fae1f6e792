// `gatehouse servers …` and `gatehouse status`: what is configured and in what state, and changes to it.
import path from 'node:path';
import type { ServerConfig } from '../../src-shared/config/schema.js';
import { ownIsolationWith } from '../../src-shared/config/container.js';
import type { ApiClient, MethodOutput } from '../../src-shared/api/index.js';
import { serverStateWords, wantsByServer } from '../../src-shared/sign-in.js';
import { homePaths, readInstance, resolveHome } from '../core/index.js';
import { withApi, type ConnectOptions } from './api.js';
import { CliError, confirm, note, print, printJson, table } from './output.js';

type Common = ConnectOptions & { json?: boolean };

export async function listServers(options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const { servers } = await api.call('servers.list', {});
    if (options.json) return printJson(servers);
    const wants = await signInWants(api, servers);
    const rows = servers.map((s) => ({ ...s, state: serverStateWords(s.state, wants.get(s.name)), tools: s.toolCount, trust: s.attention && s.trust === 'approved' ? `approved, ${s.attention} to review` : s.trust }));
    print(servers.length ? table(rows, ['name', 'state', 'trust', 'transport', 'tools', 'target']) : 'No servers yet. Add one with: gatehouse servers add <name> -- <command> [args…]');
  });
}

export async function status(options: Common): Promise<void> {
  await withApi(options, async (api, remote) => {
    const s = await api.call('status.get', {});
    if (options.json) return printJson({ ...s, running: remote });
    // A client's bridge serving alone goes when that client quits: worth knowing before relying on it.
    const bridge = remote && readInstance(homePaths(resolveHome()).instance)?.stdio ? ", as a client's `gatehouse stdio`, until that client quits" : '';
    print(remote ? `Gatehouse ${s.version} is running (pid ${s.pid}${bridge}): ${s.gateway.url ?? ''}` : `Gatehouse is not running. Config: ${s.configPath}`);
    print(searchLine(s.search));
    const wants = await signInWants(api, s.servers);
    const rows = s.servers.map((x) => ({ ...x, state: serverStateWords(x.state, wants.get(x.name)), tools: x.toolCount, reason: x.reason ?? '' }));
    print(rows.length ? table(rows, ['name', 'state', 'trust', 'transport', 'tools', 'reason']) : 'No servers configured.');
  });
}

/** What the servers that wait for a sign-in want, asked only when one does. */
async function signInWants(api: ApiClient, servers: readonly { state: string }[]): Promise<ReturnType<typeof wantsByServer>> {
  if (!servers.some((s) => s.state === 'needs-sign-in')) return new Map();
  return wantsByServer((await api.call('auth.status', {})).signIns);
}

function searchLine(search: MethodOutput<'status.get'>['search']): string {
  const semantic = search.semantic;
  if (!semantic) return 'Search: keywords (search by meaning runs in gatehouse serve)';
  if (semantic.state === 'unavailable') return `Search: keywords only: ${semantic.reason}`;
  if (semantic.state === 'starting') return 'Search: keywords while the search model loads';
  if (semantic.total === 0) return 'Search: by meaning and keywords, once an approved server lists tools';
  const progress = `${semantic.embedded} of ${semantic.total} tools embedded`;
  return search.mode === 'hybrid' ? `Search: by meaning and keywords (${progress})` : `Search: keywords (${progress})`;
}

export interface AddOptions extends Common {
  url?: string;
  type?: 'stdio' | 'http' | 'sse';
  env?: Record<string, string>;
  header?: Record<string, string>;
  cwd?: string;
  description?: string;
  config?: string;
}

export function serverFromOptions(command: string[], options: AddOptions): ServerConfig {
  let server: ServerConfig;
  if (options.config) {
    try {
      server = JSON.parse(options.config) as ServerConfig;
    } catch (err) {
      throw new CliError(`--config is not valid JSON: ${(err as Error).message}`);
    }
  } else if (options.url) {
    if (command.length) throw new CliError('give either --url or a command after --, not both');
    server = { url: options.url, ...(options.type ? { type: options.type } : {}), ...(options.header ? { headers: options.header } : {}) };
  } else if (command.length) {
    const cwd = workingFolder(command, options.cwd);
    server = { command: command[0], args: command.slice(1), ...(options.env ? { env: options.env } : {}), ...(cwd ? { cwd } : {}) };
  } else {
    throw new CliError('say how to reach the server: `gatehouse servers add <name> -- <command> [args…]` or `--url <url>`');
  }
  if (options.description) server.description = options.description;
  return server;
}

/** A path typed relative to where the person is: `./server.js`, `../tools/run.sh`, `.\\server.exe`. */
const RELATIVE_PATH = /^\.\.?[\\/]/;

/**
 * The folder a command server runs in. The running Gatehouse has its own working folder (the desktop app's
 * is often `/`), so a command typed with a relative path (`node ./server.js`) runs where it was typed, and a
 * relative `--cwd` is taken from there too.
 */
function workingFolder(command: string[], given: string | undefined): string | undefined {
  if (given) return path.resolve(given);
  return command.some((part) => RELATIVE_PATH.test(part)) ? process.cwd() : undefined;
}

export async function addServer(name: string, command: string[], options: AddOptions): Promise<void> {
  const config = serverFromOptions(command, options);
  await withApi(options, async (api, remote) => {
    const { server, secrets } = await api.call('servers.add', { name, config });
    if (options.json) return printJson({ added: name, server, secrets });
    print(`Added "${name}"${remote ? ' (the running Gatehouse has it now)' : ''}.`);
    if (config.cwd && !options.cwd) print(`  It runs in ${config.cwd}, where its relative paths point (--cwd to choose another folder).`);
    if (secrets.length) print(`  Its secret values are kept in the secret store, not in config.json: ${secrets.join(', ')} (\`gatehouse secrets\`).`);
  });
}

export async function changeServer(action: 'remove' | 'enable' | 'disable' | 'restart', name: string, options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const result = await api.call(`servers.${action}`, { name });
    const past = { remove: 'removed', enable: 'enabled', disable: 'disabled', restart: 'restarted' }[action];
    if (options.json) return printJson(result);
    print(`Server "${name}" ${past}.`);
  });
}

export async function serverLogs(name: string, options: Common & { limit: number }): Promise<void> {
  await withApi(options, async (api) => {
    const { lines } = await api.call('servers.logs', { name, limit: options.limit });
    if (options.json) return printJson(lines);
    for (const l of lines) print(`${new Date(l.at).toISOString()} [${l.source}] ${l.text}`);
  });
}

/**
 * `gatehouse servers pin <name>`: names an exact release of the package a command server runs, or with
 * `--image` the image it runs in by its digest.
 */
export async function pin(name: string, options: Common & { release?: string; image?: boolean; yes?: boolean }): Promise<void> {
  if (options.image && options.release) throw new CliError('--release and --image do not go together: pin the release or the image, one at a time.');
  await withApi(options, async (api) => {
    const { server } = await api.call('servers.get', { name });
    // The image by its digest is the image approved; another release is other code.
    if (server.trust === 'approved' && !options.image) {
      note(`"${name}" is approved: naming its release changes its entry, so it goes back to review until you approve it again.`);
      await confirm('Pin it?', options.yes);
    }
    if (options.image) {
      const pinned = await api.call('servers.pinImage', { name });
      if (options.json) return printJson(pinned);
      return print(`"${name}" now runs in ${pinned.image}.`);
    }
    const pinned = await api.call('servers.pinRelease', { name, ...(options.release ? { version: options.release } : {}) });
    if (options.json) return printJson(pinned);
    print(`"${name}" now runs ${pinned.release} (its arguments: ${pinned.args.join(' ')}).`);
  });
}

/**
 * `gatehouse servers hosts <name> [--allow h] [--deny h]`: the hosts a server's container, which has no
 * network, may reach through Gatehouse's proxy (`isolation.allowHosts`); shown, or changed in its entry.
 */
export async function allowedHosts(name: string, options: Common & { allow?: string[]; deny?: string[]; yes?: boolean }): Promise<void> {
  await withApi(options, async (api) => {
    const { server, config } = await api.call('servers.get', { name });
    const own = typeof config.isolation === 'object' ? config.isolation : {};
    const before = own.allowHosts ?? [];
    const allow = options.allow ?? [];
    const deny = new Set((options.deny ?? []).map((h) => h.toLowerCase()));
    if (!allow.length && !deny.size) {
      if (options.json) return printJson({ server: name, allowHosts: before });
      return print(before.length ? `"${name}" may reach: ${before.join(', ')}` : `"${name}" may reach no host of its own (isolation.allowHosts is empty).`);
    }
    const after = [...new Set([...before, ...allow])].filter((h) => !deny.has(h.toLowerCase()));
    if (after.join('\n') === before.join('\n')) return print(`"${name}" may reach ${after.length ? after.join(', ') : 'no host of its own'} already.`);
    if (server.trust === 'approved') {
      note(`"${name}" is approved: changing the hosts it may reach changes its entry, so it goes back to review until you approve it again.`);
      await confirm('Change them?', options.yes);
    }
    const isolation = ownIsolationWith(config.isolation, { allowHosts: after.length ? after : undefined });
    await api.call('servers.update', { name, config: { ...config, isolation } as ServerConfig });
    if (options.json) return printJson({ server: name, allowHosts: after });
    print(after.length ? `"${name}" may reach: ${after.join(', ')}` : `"${name}" may reach no host of its own now.`);
  });
}
