// Reads a pasted `mcpServers` block (Claude Desktop, Cursor, VS Code's `servers`, or bare entries) into
// named server entries, each checked against the config schema, with every problem named.
import { ServerConfigSchema } from '../../../src-shared/api/index.js';
import type { ServerConfig } from '../../../src-shared/config/schema.js';

export interface Pasted {
  servers: { name: string; config: ServerConfig }[];
  problems: string[];
}

export function readPasted(text: string): Pasted {
  let value: unknown;
  try {
    // A block copied out of a larger file often comes without its outer braces.
    const trimmed = text.trim();
    value = JSON.parse(trimmed.startsWith('{') ? trimmed : `{${trimmed}}`);
  } catch (err) {
    return { servers: [], problems: [`That is not JSON: ${(err as Error).message}. Paste the whole "mcpServers": { … } block.`] };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { servers: [], problems: ['Paste an object: { "mcpServers": { "<name>": { … } } }'] };
  const record = value as Record<string, unknown>;
  const block = (Object.hasOwn(record, 'mcpServers') ? record.mcpServers : Object.hasOwn(record, 'servers') ? record.servers : record) as unknown;
  if (!block || typeof block !== 'object' || Array.isArray(block)) return { servers: [], problems: ['"mcpServers" must be an object of named servers'] };
  const out: Pasted = { servers: [], problems: [] };
  for (const [name, entry] of Object.entries(block as Record<string, unknown>)) {
    const parsed = ServerConfigSchema.safeParse(entry);
    if (parsed.success) out.servers.push({ name, config: parsed.data });
    else out.problems.push(`${name}: ${parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`);
  }
  if (!out.servers.length && !out.problems.length) out.problems.push('No servers in that block.');
  return out;
}

/** `KEY=value` lines (or `Name: value` for headers) into a record; blank lines skipped. */
export function readPairs(text: string, separator: '=' | ':'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(separator);
    if (!line.trim() || at <= 0) continue;
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}
