// `gatehouse servers …`: what is configured, and changes to config.json.
import type { ServerConfig } from '../../src-shared/config/schema.js';
import { serverKind } from '../../src-shared/config/schema.js';
import { openCore } from './open-core.js';
import { CliError, print, printJson, table } from './output.js';

export async function listServers(options: { json?: boolean }): Promise<void> {
  const core = await openCore();
  try {
    const config = core.config.config.mcpServers;
    const rows = core.statuses().map((s) => ({
      name: s.name,
      state: s.state,
      transport: s.transport,
      tools: s.toolCount,
      target: target(config[s.name]),
      ...(s.reason ? { reason: s.reason } : {}),
    }));
    if (options.json) printJson(rows);
    else print(rows.length ? table(rows, ['name', 'state', 'transport', 'tools', 'target']) : `No servers yet. Add one with: gatehouse servers add <name> -- <command> [args…]`);
  } finally {
    await core.close();
  }
}

function target(server: ServerConfig | undefined): string {
  if (!server) return '';
  return serverKind(server) === 'stdio' ? [server.command, ...(server.args ?? [])].join(' ') : (server.url ?? '');
}

export interface AddOptions {
  url?: string;
  type?: 'stdio' | 'http' | 'sse';
  env?: Record<string, string>;
  header?: Record<string, string>;
  cwd?: string;
  description?: string;
  config?: string;
  json?: boolean;
}

export async function addServer(name: string, command: string[], options: AddOptions): Promise<void> {
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
    server = { command: command[0], args: command.slice(1), ...(options.env ? { env: options.env } : {}), ...(options.cwd ? { cwd: options.cwd } : {}) };
  } else {
    throw new CliError('say how to reach the server: `gatehouse servers add <name> -- <command> [args…]` or `--url <url>`');
  }
  if (options.description) server.description = options.description;
  const core = await openCore();
  try {
    await core.addServer(name, server);
  } finally {
    await core.close();
  }
  if (options.json) printJson({ added: name, server });
  else print(`Added "${name}" to ${core.paths.config}`);
}

export async function changeServer(action: 'remove' | 'enable' | 'disable', name: string, options: { json?: boolean }): Promise<void> {
  const core = await openCore();
  try {
    if (action === 'remove') await core.removeServer(name);
    else await core.setServerEnabled(name, action === 'enable');
  } finally {
    await core.close();
  }
  const past = { remove: 'removed', enable: 'enabled', disable: 'disabled' }[action];
  if (options.json) printJson({ [past]: name });
  else print(`Server "${name}" ${past}.`);
}
