// Scanning definitions a person hands over, without adding a server: a saved tools/list answer, a file of
// many servers' tools, one definition. Each gets the findings its review would show, so a server's author
// can check their own definitions and a person can check a server before trusting it.
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from '../../../src-shared/catalog.js';
import { pinnedItem } from './pins.js';
import { inSlices } from './slices.js';
import { flagged, otherServersTools, scanDefinition, scanShadowing, type Finding } from './scanner/index.js';

export type ListedKind = 'tool' | 'prompt' | 'template' | 'resource';

export interface ListedDefinition {
  kind: ListedKind;
  definition: ToolDefinition | PromptDefinition | ResourceTemplateDefinition | ResourceDefinition;
  /** The server it came from, when the input says. */
  server?: string;
  /** The record's own id, when it has one (a benchmark's records do). */
  id?: string;
}

export interface ScannedDefinition {
  kind: ListedKind;
  name: string;
  server?: string;
  id?: string;
  flagged: boolean;
  findings: Finding[];
}

export class ListingError extends Error {}

const SHAPES =
  'a tool definition (an object with a "name"), a tools/list answer ({"tools": […]}, prompts, resourceTemplates and resources too; a review\'s JSON too), a record {"server": …, "tool": {…}}, or an array or JSON Lines of these';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A field the input itself has: names a server sends are data, never looked up through a prototype. */
const own = (o: Json, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** Text that is not JSON, with the parser's message on one line (it quotes the start of the text, line breaks and all). */
const notJson = (what: string, err: unknown): ListingError =>
  new ListingError(`${what} (${(err as Error).message.replace(/\r?\n/g, '\\n')}); expected JSON, or JSON Lines of ${SHAPES}`);

/** Every definition in a file's text: JSON (one value) or JSON Lines. */
export function parseListing(source: string): ListedDefinition[] {
  if (!source.trim()) throw new ListingError(`nothing to scan: expected ${SHAPES}`);
  let values: { value: unknown; at: string }[];
  try {
    values = [{ value: JSON.parse(source) as unknown, at: 'the input' }];
  } catch (whole) {
    // JSON Lines when its first line is JSON by itself; otherwise one document that is not JSON.
    const lines = source.split('\n');
    const first = lines.find((l) => l.trim()) ?? '';
    if (lines.filter((l) => l.trim()).length < 2 || !parses(first)) throw notJson('not JSON', whole);
    values = [];
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      try {
        values.push({ value: JSON.parse(line) as unknown, at: `line ${i + 1}` });
      } catch (e) {
        throw notJson(`line ${i + 1} is not JSON`, e);
      }
    });
  }
  const out = values.flatMap(({ value, at }) => entriesOf(value, at, {}, 0));
  if (out.length === 0) throw new ListingError(`no definitions found: expected ${SHAPES}`);
  return out;
}

/** How deep arrays and answers may hold definitions: a listing holds them two or three levels down. */
const MOST_WRAPPINGS = 8;

function parses(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function entriesOf(value: unknown, at: string, from: { server?: string; id?: string }, depth: number): ListedDefinition[] {
  if (depth > MOST_WRAPPINGS) throw new ListingError(`${at}: definitions wrapped in more than ${MOST_WRAPPINGS} arrays or answers; expected ${SHAPES}`);
  if (Array.isArray(value)) return value.flatMap((v, i) => entriesOf(v, `${at === 'the input' ? '' : at}[${i}]`, from, depth + 1));
  if (!isObject(value)) throw new ListingError(`${at}: expected ${SHAPES}`);
  const origin = { server: text(own(value, 'server')) ?? from.server, id: text(own(value, 'id')) ?? from.id };
  // A JSON-RPC answer: what it carries is its result.
  const result = own(value, 'result');
  if (isObject(result) && own(value, 'name') === undefined) return entriesOf(result, `${at}.result`, origin, depth + 1);
  const record = own(value, 'tool');
  if (isObject(record)) return [listed('tool', record, `${at}.tool`, origin)];
  const lists = (['tools', 'prompts', 'resourceTemplates', 'resources'] as const).filter((k) => Array.isArray(own(value, k)));
  if (lists.length) {
    const kindOf = { tools: 'tool', prompts: 'prompt', resourceTemplates: 'template', resources: 'resource' } as const;
    return lists.flatMap((k) =>
      (own(value, k) as unknown[]).map((d, i) => {
        const where = `${at === 'the input' ? '' : `${at}.`}${k}[${i}]`;
        if (!isObject(d)) throw new ListingError(`${where}: expected a definition (an object with a "name")`);
        // A review's item (`servers review --json`) carries the definition beside its standing and findings.
        const inner = own(d, 'definition');
        return isObject(inner) ? listed(kindOf[k], inner, `${where}.definition`, origin) : listed(kindOf[k], d, where, origin);
      }),
    );
  }
  if (isObject(own(value, 'mcpServers')) || isObject(own(value, 'servers'))) {
    throw new ListingError(
      `${at} is a client's list of servers, not their definitions: add the servers (gatehouse clients import <client>, or servers add), which lists them in quarantine, then gatehouse servers review <name> shows what the scanner finds`,
    );
  }
  if (typeof own(value, 'name') === 'string') {
    const kind = typeof own(value, 'uriTemplate') === 'string' ? 'template' : typeof own(value, 'uri') === 'string' ? 'resource' : 'tool';
    return [listed(kind, value, at, from)];
  }
  throw new ListingError(`${at}: expected ${SHAPES}`);
}

/**
 * Deeper than this a definition is refused: the MCP SDK cannot check a listing nested much deeper (about
 * 800 levels) and no real schema comes near, while reading one would overflow the stack.
 */
const MOST_LEVELS = 500;

/** Whether a value nests more than `most` levels of objects and arrays (counted without recursion). */
function nestsDeeper(value: unknown, most: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > most) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function listed(kind: ListedKind, definition: Json, at: string, origin: { server?: string; id?: string }): ListedDefinition {
  if (typeof own(definition, 'name') !== 'string') throw new ListingError(`${at}: a definition needs a "name" (a string)`);
  if (nestsDeeper(definition, MOST_LEVELS)) throw new ListingError(`${at}: "${String(own(definition, 'name')).slice(0, 100)}" nests more than ${MOST_LEVELS} levels deep, deeper than any real definition; its authors must flatten it`);
  return {
    kind,
    definition: definition as unknown as ListedDefinition['definition'],
    ...(origin.server !== undefined ? { server: origin.server } : {}),
    ...(origin.id !== undefined ? { id: origin.id } : {}),
  };
}

/**
 * The scanner's findings for each definition, as its review would show them: a tool's description that
 * names another server's tool is reported too, when the input says which server each tool is from. A few
 * milliseconds at a time, as a server's listing is scanned for its review.
 */
export function scanListing(entries: readonly ListedDefinition[]): Promise<ScannedDefinition[]> {
  const named = entries.flatMap((e) => (e.kind === 'tool' && e.server !== undefined ? [{ server: e.server, name: e.definition.name }] : []));
  const others = new Map<string, Map<string, string>>();
  const othersOf = (server: string) => others.get(server) ?? others.set(server, otherServersTools(server, named)).get(server)!;
  return inSlices(entries.map((e) => () => {
    const findings =
      e.kind === 'tool'
        ? [...scanDefinition(e.definition), ...(e.server !== undefined ? scanShadowing(e.definition as ToolDefinition, othersOf(e.server)) : [])]
        : scanDefinition(pinnedItem(e.definition as PromptDefinition));
    return {
      kind: e.kind,
      name: e.definition.name,
      ...(e.server !== undefined ? { server: e.server } : {}),
      ...(e.id !== undefined ? { id: e.id } : {}),
      flagged: flagged(findings),
      findings,
    };
  }));
}
