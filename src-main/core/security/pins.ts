// Pinned tool definitions: what a person approved, reduced to the parts that can change a model's
// behaviour, hashed, compared, and shown as a diff when they change.
import { createHash } from 'node:crypto';
import { diffLines } from 'diff';
import { cosine } from './meaning/index.js';
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from '../../../src-shared/catalog.js';
import { nameInWords } from '../../../src-shared/ids.js';

/**
 * What is pinned of a tool: all of it, as the server sent it. A client gets every field (icons, `_meta` such
 * as the UI resource an app host renders, fields of protocol revisions to come), so every field is part of
 * what a person approves.
 */
export type PinnedDefinition = ToolDefinition;

export function pinnedPart(tool: ToolDefinition): PinnedDefinition {
  return { ...tool };
}

/**
 * Which version of the pins a record's hashes are. Before 2, only a tool's name, title, description,
 * schemas and annotations were pinned (and a prompt's or template's fields listed in LEGACY_ITEM_FIELDS).
 */
export const PIN_SCHEME = 2;
const LEGACY_TOOL_FIELDS = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'];

function pick(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

const sha = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('base64url');

// Catalog objects are replaced, never mutated, so a hash can be kept with the object it is of.
function remembered<T extends object>(memo: WeakMap<T, string>, of: T, compute: () => string): string {
  let hash = memo.get(of);
  if (hash === undefined) memo.set(of, (hash = compute()));
  return hash;
}

const legacyToolHashes = new WeakMap<ToolDefinition, string>();

/** A tool's hash as pinned before PIN_SCHEME 2: what an approval made then is compared against. */
export function legacyToolHash(tool: ToolDefinition): string {
  return remembered(legacyToolHashes, tool, () => sha(pick(tool, LEGACY_TOOL_FIELDS)));
}

/** JSON with object keys sorted, so the same definition always hashes (and prints) the same. */
export function canonicalJson(value: unknown, indent?: number): string {
  return (
    JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
        // No prototype: a key named "__proto__" stays a key, and so is hashed and shown.
        const sorted = Object.create(null) as Record<string, unknown>;
        for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
        return sorted;
      },
      indent,
    ) ?? 'null'
  );
}

export function hashDefinition(def: PinnedDefinition): string {
  return sha(def);
}

const toolHashes = new WeakMap<ToolDefinition, string>();

/** A hash computed earlier for this very definition (kept with the tool cache). */
export function primeToolHash(tool: ToolDefinition, hash: string): void {
  toolHashes.set(tool, hash);
}

/** The hash of a listed tool's pinned part (computed once per tool object). */
export function hashTool(tool: ToolDefinition): string {
  return remembered(toolHashes, tool, () => hashDefinition(pinnedPart(tool)));
}

/**
 * Prompts and resource templates are pinned too: what a model reads of them. So are the static resources a
 * person let through although the scanner flagged them (the others are the server's data, and change).
 */
export type ItemKind = 'prompt' | 'template' | 'resource';
export type ItemDefinition = PromptDefinition | ResourceTemplateDefinition | ResourceDefinition;

const LEGACY_ITEM_FIELDS: Record<ItemKind, string[]> = {
  prompt: ['name', 'title', 'description', 'arguments'],
  template: ['name', 'title', 'uriTemplate', 'description', 'mimeType', 'annotations'],
  resource: [],
};

/** What an item is known by: a resource by its URI (its name need not be unique), the others by name. */
export function itemKey(kind: ItemKind, item: ItemDefinition): string {
  return kind === 'resource' ? String((item as ResourceDefinition).uri) : item.name;
}

/** What is pinned of a prompt or template: all of it, as for tools. */
export function pinnedItem(item: ItemDefinition): Record<string, unknown> {
  return { ...item };
}

const itemHashes = new WeakMap<ItemDefinition, string>();
const legacyItemHashes = new WeakMap<ItemDefinition, string>();

export function hashItem(item: ItemDefinition): string {
  return remembered(itemHashes, item, () => sha(pinnedItem(item)));
}

/** A prompt's or template's hash as pinned before PIN_SCHEME 2. */
export function legacyItemHash(kind: ItemKind, item: ItemDefinition): string {
  return remembered(legacyItemHashes, item, () => sha(pick(item, LEGACY_ITEM_FIELDS[kind])));
}

/**
 * How alike two definitions are apart from their names, 0..1: the Dice coefficient over word bigrams
 * of everything but the name. Used to tell a rename (same tool, new name) from a new tool.
 */
export function similarity(a: PinnedDefinition, b: PinnedDefinition): number {
  const grams = (d: PinnedDefinition) => {
    const words = canonicalJson({ ...d, name: '' }).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const out = new Map<string, number>();
    for (let i = 0; i < words.length; i++) {
      const g = `${words[i]} ${words[i + 1] ?? ''}`;
      out.set(g, (out.get(g) ?? 0) + 1);
    }
    return out;
  };
  const ga = grams(a);
  const gb = grams(b);
  let shared = 0;
  let total = 0;
  for (const [g, n] of ga) {
    shared += Math.min(n, gb.get(g) ?? 0);
    total += n;
  }
  for (const n of gb.values()) total += n;
  return total === 0 ? 1 : (2 * shared) / total;
}

export const RENAME_SIMILARITY = 0.8;
/**
 * How near in meaning (cosine of the sentence model's vectors of their descriptions) a removed tool and a
 * new one must be, each the other's nearest, to be shown as one tool renamed. Unrelated tools of one server
 * score about 0.4 (the median on the poisoning dev set's servers); rewordings of one tool 0.55–0.8.
 */
export const RENAME_MEANING = 0.5;

/** What a definition's meaning is read from: its description (names are what a rename changes). */
export function meaningText(def: PinnedDefinition): string {
  return def.description?.trim() || nameInWords(def.name);
}

/**
 * Pairs of new and removed tools near in meaning: each pair's two are each other's nearest, and at least
 * RENAME_MEANING alike. `vectors` are unit vectors, the added ones first.
 */
export function pairByMeaning(added: string[], removed: string[], vectors: Float32Array[]): Map<string, string> {
  const score = added.map((_, i) => removed.map((_, j) => cosine(vectors[i], vectors[added.length + j])));
  const pairs = new Map<string, string>();
  added.forEach((name, i) => {
    const j = score[i].indexOf(Math.max(...score[i]));
    const back = score.map((row) => row[j]);
    if (score[i][j] >= RENAME_MEANING && back.indexOf(Math.max(...back)) === i) pairs.set(name, removed[j]);
  });
  return pairs;
}

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

/**
 * The most lines a diff may add and remove before it gives up looking for the shortest: its cost grows with
 * the definitions' length times this, and two long definitions that share little (a hostile server's
 * schema of thousands of properties, all changed) took minutes, holding up everything Gatehouse does.
 */
const MOST_EDITS = 1000;

/**
 * A line diff of two definitions, pretty-printed with sorted keys. Past MOST_EDITS, the old definition is
 * shown removed and the new one added, every line of both.
 */
export function diffDefinitions(before: object, after: object): DiffLine[] {
  const [a, b] = [prettyText(before), prettyText(after)];
  const parts = diffLines(a, b, { maxEditLength: MOST_EDITS }) ?? [
    { value: a, removed: true, added: false },
    { value: b, added: true, removed: false },
  ];
  const out: DiffLine[] = [];
  for (const part of parts) {
    const op = part.added ? '+' : part.removed ? '-' : ' ';
    for (const text of part.value.replace(/\n$/, '').split('\n')) out.push({ op, text });
  }
  return out;
}

function prettyText(def: object): string {
  return `${canonicalJson(def, 2)}\n`;
}
