// Pinned tool definitions: what a person approved, reduced to the parts that can change a model's
// behaviour, hashed, compared, and shown as a diff when they change.
import { createHash } from 'node:crypto';
import type { ToolDefinition } from '../../../src-shared/catalog.js';

/** The parts of a tool that are pinned: name, description, input and output schema, annotations (and title). */
export interface PinnedDefinition {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

export function pinnedPart(tool: ToolDefinition): PinnedDefinition {
  const out: PinnedDefinition = { name: tool.name, inputSchema: tool.inputSchema };
  if (tool.title !== undefined) out.title = tool.title;
  if (tool.description !== undefined) out.description = tool.description;
  if (tool.outputSchema !== undefined) out.outputSchema = tool.outputSchema;
  if (tool.annotations !== undefined) out.annotations = tool.annotations;
  return out;
}

/** JSON with object keys sorted, so the same definition always hashes (and prints) the same. */
export function canonicalJson(value: unknown, indent?: number): string {
  return (
    JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
        const sorted: Record<string, unknown> = {};
        for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
        return sorted;
      },
      indent,
    ) ?? 'null'
  );
}

export function hashDefinition(def: PinnedDefinition): string {
  return createHash('sha256').update(canonicalJson(def)).digest('base64url');
}

// Catalog tool objects are replaced, never mutated, so a tool's hash can be kept with the object.
const toolHashes = new WeakMap<ToolDefinition, string>();

/** A hash computed earlier for this very definition (kept with the tool cache). */
export function primeToolHash(tool: ToolDefinition, hash: string): void {
  toolHashes.set(tool, hash);
}

/** The hash of a listed tool's pinned part (computed once per tool object). */
export function hashTool(tool: ToolDefinition): string {
  let hash = toolHashes.get(tool);
  if (hash === undefined) {
    hash = hashDefinition(pinnedPart(tool));
    toolHashes.set(tool, hash);
  }
  return hash;
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

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

/** A line diff of two definitions, pretty-printed with sorted keys (a longest-common-subsequence diff). */
export function diffDefinitions(before: PinnedDefinition, after: PinnedDefinition): DiffLine[] {
  const a = prettyLines(before);
  const b = prettyLines(after);
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i++] });
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ op: '-', text: a[i++] });
    } else {
      out.push({ op: '+', text: b[j++] });
    }
  }
  return out;
}

function prettyLines(def: PinnedDefinition): string[] {
  return canonicalJson(def, 2).split('\n');
}
