// `upstream_servers`: lets an agent list the servers and ask for new ones. Whatever it adds or changes
// lands in quarantine; nothing here can approve, unblock or raise a server's trust. `--read-only` keeps
// it to listing; `--disable-management` hides it.
import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { serverKind, ServerConfigSchema, type ServerConfig } from '../../../src-shared/config/schema.js';
import { hasPlaceholder } from '../../../src-shared/config/placeholders.js';
import { SERVER_NAME_PATTERN, SERVER_NAME_RULE } from '../../../src-shared/ids.js';
import type { ServerTrust } from '../../../src-shared/trust.js';
import { text } from '../calls/index.js';
import { describeIssues } from '../config/index.js';
import { looseningsOf, type Loosening } from '../isolation/index.js';
import { targetOf } from '../security/index.js';

export interface Management {
  enabled: boolean;
  readOnly: boolean;
  servers(): { name: string; trust: ServerTrust; enabled: boolean; config: ServerConfig; toolCount: number }[];
  /** Both resolve to the names of the secrets taken out of the entry into the secret store. */
  add(name: string, config: ServerConfig): Promise<string[]>;
  update(name: string, config: ServerConfig): Promise<string[]>;
  remove(name: string): Promise<void>;
}

export const MANAGEMENT_TOOL: Tool = {
  name: 'upstream_servers',
  description:
    'List the MCP servers behind Gatehouse, or ask for one to be added, changed or removed. A server added or changed this way is quarantined until a person approves it in Gatehouse.',
  inputSchema: {
    type: 'object',
    properties: {
      operation: { type: 'string', enum: ['list', 'add', 'update', 'remove'] },
      name: { type: 'string', description: 'Server name (add, update, remove)' },
      config: {
        type: 'object',
        description: 'Server entry as in Claude Desktop: {"command","args","env"} or {"url","headers"} (add, update)',
      },
    },
    required: ['operation'],
  },
};

export async function manageServers(m: Management, args: Record<string, unknown>, redact: (s: string) => string): Promise<CallToolResult> {
  const operation = String(args.operation ?? '');
  if (operation === 'list') {
    const servers = m.servers().map((s) => ({
      name: s.name,
      status: s.trust === 'approved' ? (s.enabled ? 'available' : 'disabled') : s.trust,
      transport: serverKind(s.config),
      target: redact(targetOf(s.config)),
      description: s.config.description,
      tools: s.toolCount,
    }));
    return text(JSON.stringify({ servers }));
  }
  if (!['add', 'update', 'remove'].includes(operation)) return text('upstream_servers: "operation" must be one of list, add, update, remove.', true);
  if (m.readOnly) return text(`upstream_servers: Gatehouse is read-only for agents; ask the person to ${operation} the server in Gatehouse.`, true);
  const name = typeof args.name === 'string' ? args.name : '';
  if (!SERVER_NAME_PATTERN.test(name)) return text(`upstream_servers: "name" is required: ${SERVER_NAME_RULE}.`, true);
  const exists = m.servers().some((s) => s.name === name);
  if (operation === 'remove') {
    if (!exists) return text(`upstream_servers: there is no server "${name}".`, true);
    await m.remove(name);
    return text(`Removed "${name}".`);
  }
  if (operation === 'add' && exists) return text(`upstream_servers: a server "${name}" exists already; use "update" to change it.`, true);
  if (operation === 'update' && !exists) return text(`upstream_servers: there is no server "${name}"; use "add".`, true);
  const parsed = ServerConfigSchema.safeParse(typeof args.config === 'string' ? safeJson(args.config) : args.config);
  if (!parsed.success) return text(`upstream_servers: "config" is not a valid server entry: ${describeIssues(parsed.error).join('; ')}`, true);
  // An agent never gets to point a server at the person's secrets.
  if (hasPlaceholder(JSON.stringify(parsed.data))) {
    return text('upstream_servers: a server added by an agent cannot refer to secrets (${keyring:…} or ${env:…}); the person can add them in Gatehouse after approving it.', true);
  }
  // The sandbox is the person's to loosen: an agent may ask for a container, never for less of one.
  const loosened = looseningsOf(parsed.data.isolation).map((what) => LOOSENING_ASKED[what]);
  if (loosened.length) {
    return text(`upstream_servers: a server added or changed by an agent cannot ${loosened.join(', ')}; the person can change its isolation in Gatehouse after approving it.`, true);
  }
  // Only the keys of a server entry are kept: whatever else an agent writes ("approved": true…) is dropped.
  const entry = Object.fromEntries(Object.entries(parsed.data).filter(([k]) => ENTRY_KEYS.has(k))) as ServerConfig;
  const dropped = Object.keys(parsed.data).filter((k) => !ENTRY_KEYS.has(k));
  const stored = operation === 'add' ? await m.add(name, entry) : await m.update(name, entry);
  return text(
    `${operation === 'add' ? 'Added' : 'Updated'} "${name}". It is quarantined: its tools cannot be used until a person reviews and approves it in Gatehouse.` +
      (stored.length ? ` Its secret values are kept in Gatehouse's secret store (${stored.join(', ')}), not in config.json.` : '') +
      (dropped.length ? ` Ignored: ${dropped.join(', ')}.` : ''),
  );
}

const ENTRY_KEYS = new Set(['type', 'command', 'args', 'env', 'cwd', 'url', 'headers', 'description', 'enabled', 'idleTimeoutMinutes', 'callTimeoutSeconds', 'startTimeoutSeconds', 'isolation']);

const LOOSENING_ASKED: Record<Loosening, string> = {
  off: 'turn its container off',
  mounts: 'give its container your files',
  network: 'give its container network access',
  egress: 'let its container reach hosts on the network',
  'no-docker': 'let it run without a container',
};

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
