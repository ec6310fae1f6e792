// Compact descriptions of tools for search results: a description cut at a sentence boundary and a
// one-line parameter summary, so an agent can pick a tool without reading its whole schema.
import type { ToolDefinition } from '../../../src-shared/catalog.js';

export function shortDescription(text: string | undefined, max = 160): string {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const sentence = cut.search(/[.!?。！？](?=\s|$)[^.!?。！？]*$/);
  if (sentence > max / 3) return cut.slice(0, sentence + 1);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > max / 2 ? space : max)}…`;
}

function typeOf(schema: Record<string, unknown> | undefined): string {
  if (!schema) return 'any';
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join('|');
  const t = schema.type;
  if (Array.isArray(t)) return t.join('|');
  if (t === 'array') {
    const items = schema.items as Record<string, unknown> | undefined;
    return `${typeOf(items)}[]`;
  }
  if (typeof t === 'string') return t;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Record<string, unknown>[]).map(typeOf).join('|');
  return 'any';
}

/** `path: string, recursive?: boolean` — required parameters first. */
export function parameterSummary(tool: ToolDefinition): string {
  const props = (tool.inputSchema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set(tool.inputSchema?.required ?? []);
  const names = Object.keys(props).sort((a, b) => Number(required.has(b)) - Number(required.has(a)));
  return names.map((n) => `${n}${required.has(n) ? '' : '?'}: ${typeOf(props[n])}`).join(', ');
}
