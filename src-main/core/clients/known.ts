// The AI clients Gatehouse knows: where each keeps its MCP servers on macOS, Windows and Linux, in which
// format and under which key, how it writes an entry, and whether it can reach an HTTP server with headers
// (then Gatehouse is an HTTP entry with a token of that client's own) or only spawns processes (then it
// runs `gatehouse stdio`).
import os from 'node:os';
import path from 'node:path';
import type { ServerConfig } from '../../../src-shared/config/schema.js';
import type { FileFormat } from './formats.js';
import { isObject } from './formats.js';

export interface Place {
  home: string;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** A project folder, for clients that also read one (VS Code's .vscode/mcp.json). */
  workspace?: string;
}

/** How Gatehouse is reached by a client: over HTTP with its token, or as a process. */
export interface GatehouseEndpoint {
  url: string;
  token: string;
  command: string;
  args: string[];
}

export interface KnownClient {
  id: string;
  name: string;
  format: FileFormat;
  /** Where the server map sits in the file. */
  key: string[];
  /** The files it reads, most likely first; undefined when it has none on this platform. */
  files(place: Place): string[];
  /**
   * Folders that show it is installed when its file is not there yet: by default the file's folder. Not
   * the home folder, which every machine has.
   */
  installedIn?(place: Place): string[];
  transport: 'http' | 'stdio';
  /** Gatehouse's entry in this client's own shape. */
  entry(gatehouse: GatehouseEndpoint): Record<string, unknown>;
  /** One of its entries as a Gatehouse server config (undefined when it is not one Gatehouse can run). */
  read(entry: unknown): ServerConfig | undefined;
}

function appData(p: Place): string {
  if (p.platform === 'darwin') return path.join(p.home, 'Library', 'Application Support');
  if (p.platform === 'win32') return p.env.APPDATA ?? path.join(p.home, 'AppData', 'Roaming');
  return p.env.XDG_CONFIG_HOME ?? path.join(p.home, '.config');
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);
const record = (v: unknown) => (isObject(v) && Object.values(v).every((x) => typeof x === 'string') ? (v as Record<string, string>) : undefined);

/** The common `mcpServers` entry shape (Claude Desktop, Cursor, Claude Code, LM Studio, Cline …). */
function readCommon(entry: unknown, urlKeys = ['url']): ServerConfig | undefined {
  if (!isObject(entry)) return undefined;
  const url = urlKeys.map((k) => str(entry[k])).find(Boolean);
  const type = str(entry.type);
  if (str(entry.command)) {
    return strip({ command: str(entry.command)!, args: strings(entry.args), env: record(entry.env), cwd: str(entry.cwd) });
  }
  if (url) return strip({ url, headers: record(entry.headers), ...(type === 'sse' ? { type: 'sse' as const } : type === 'http' || type === 'streamable-http' || type === 'streamableHttp' ? { type: 'http' as const } : {}) });
  return undefined;
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const httpEntry = (g: GatehouseEndpoint, extra: Record<string, unknown> = {}, urlKey = 'url') => ({ ...extra, [urlKey]: g.url, headers: { Authorization: `Bearer ${g.token}` } });
const stdioEntry = (g: GatehouseEndpoint) => ({ command: g.command, args: g.args });

export const KNOWN_CLIENTS: KnownClient[] = [
  {
    id: 'claude-desktop',
    name: 'Claude Desktop',
    format: 'json',
    key: ['mcpServers'],
    files: (p) => [path.join(appData(p), 'Claude', 'claude_desktop_config.json')],
    transport: 'stdio',
    entry: stdioEntry,
    read: (e) => readCommon(e),
  },
  {
    id: 'claude-code',
    name: 'Claude Code',
    format: 'json',
    key: ['mcpServers'],
    files: (p) => [path.join(p.home, '.claude.json')],
    installedIn: (p) => [path.join(p.home, '.claude')],
    transport: 'http',
    entry: (g) => httpEntry(g, { type: 'http' }),
    read: (e) => readCommon(e),
  },
  {
    id: 'cursor',
    name: 'Cursor',
    format: 'json',
    key: ['mcpServers'],
    files: (p) => [path.join(p.home, '.cursor', 'mcp.json')],
    transport: 'http',
    entry: (g) => httpEntry(g),
    read: (e) => readCommon(e),
  },
  {
    id: 'vscode',
    name: 'VS Code',
    format: 'jsonc',
    key: ['servers'],
    files: (p) => [path.join(appData(p), 'Code', 'User', 'mcp.json')],
    transport: 'http',
    entry: (g) => httpEntry(g, { type: 'http' }),
    read: (e) => readCommon(e),
  },
  {
    id: 'vscode-workspace',
    name: 'VS Code (this workspace)',
    format: 'jsonc',
    key: ['servers'],
    files: (p) => (p.workspace ? [path.join(p.workspace, '.vscode', 'mcp.json')] : []),
    transport: 'http',
    entry: (g) => httpEntry(g, { type: 'http' }),
    read: (e) => readCommon(e),
  },
  {
    id: 'windsurf',
    name: 'Windsurf',
    format: 'json',
    key: ['mcpServers'],
    files: (p) => [path.join(p.home, '.codeium', 'windsurf', 'mcp_config.json')],
    transport: 'http',
    entry: (g) => httpEntry(g, {}, 'serverUrl'),
    read: (e) => readCommon(e, ['serverUrl', 'url']),
  },
  {
    id: 'codex',
    name: 'Codex CLI',
    format: 'toml',
    key: ['mcp_servers'],
    files: (p) => [path.join(p.env.CODEX_HOME ?? path.join(p.home, '.codex'), 'config.toml')],
    transport: 'stdio',
    entry: stdioEntry,
    read: (e) => readCommon(e),
  },
  {
    id: 'gemini',
    name: 'Gemini CLI',
    format: 'jsonc',
    key: ['mcpServers'],
    files: (p) => [path.join(p.home, '.gemini', 'settings.json')],
    transport: 'http',
    entry: (g) => httpEntry(g, {}, 'httpUrl'),
    read: (e) => {
      const c = readCommon(e, ['httpUrl']);
      if (c) return c.url ? { ...c, type: 'http' } : c;
      // `url` alone is SSE to Gemini CLI.
      return isObject(e) && str(e.url) ? strip({ type: 'sse' as const, url: str(e.url)!, headers: record(e.headers) }) : undefined;
    },
  },
  {
    id: 'zed',
    name: 'Zed',
    format: 'jsonc',
    key: ['context_servers'],
    files: (p) => [p.platform === 'win32' ? path.join(appData(p), 'Zed', 'settings.json') : path.join(p.home, '.config', 'zed', 'settings.json')],
    transport: 'stdio',
    entry: (g) => ({ source: 'custom', command: g.command, args: g.args }),
    read: (e) => {
      // Older Zed: { command: { path, args, env } }.
      if (isObject(e) && isObject(e.command)) return readCommon({ command: e.command.path, args: e.command.args, env: e.command.env });
      return readCommon(e);
    },
  },
  {
    id: 'cline',
    name: 'Cline',
    format: 'json',
    key: ['mcpServers'],
    files: (p) => [path.join(appData(p), 'Code', 'User', 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json')],
    transport: 'stdio',
    entry: stdioEntry,
    read: (e) => readCommon(e),
  },
  {
    id: 'lm-studio',
    name: 'LM Studio',
    format: 'json',
    key: ['mcpServers'],
    files: (p) => [path.join(p.home, '.lmstudio', 'mcp.json')],
    transport: 'http',
    entry: (g) => httpEntry(g),
    read: (e) => readCommon(e),
  },
  {
    id: 'goose',
    name: 'Goose',
    format: 'yaml',
    key: ['extensions'],
    files: (p) => [p.platform === 'win32' ? path.join(appData(p), 'Block', 'goose', 'config', 'config.yaml') : path.join(p.home, '.config', 'goose', 'config.yaml')],
    transport: 'stdio',
    entry: (g) => ({ type: 'stdio', name: 'gatehouse', cmd: g.command, args: g.args, enabled: true, timeout: 300 }),
    read: (e) => {
      if (!isObject(e) || e.enabled === false) return undefined;
      if (str(e.cmd)) return strip({ command: str(e.cmd)!, args: strings(e.args), env: record(e.envs) });
      const uri = str(e.uri);
      if (uri) return strip({ url: uri, headers: record(e.headers), type: e.type === 'sse' ? ('sse' as const) : ('http' as const) });
      return undefined;
    },
  },
];

export function knownClient(id: string): KnownClient | undefined {
  return KNOWN_CLIENTS.find((c) => c.id === id);
}

export function currentPlace(env: NodeJS.ProcessEnv = process.env, workspace?: string): Place {
  return { home: env.HOME ?? os.homedir(), platform: process.platform, env, workspace };
}
