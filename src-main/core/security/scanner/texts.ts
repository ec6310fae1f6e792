// Every string of a definition (a tool, a prompt, a resource template) with its place, and the sentences
// the classifier reads: the readable text, and each piece of hidden text once decoded.
import { BIDI, COMMENTS, CONTROL, decodePayloads, decodeReversed, decodeTags, decodeZeroWidthBinary, INVISIBLE } from './hidden-text.js';

export interface Text {
  field: string;
  text: string;
}

// Keys whose values are machinery, not words a model reads as guidance.
const SKIP = new Set(['$schema', '$id', '$ref', 'type', 'format', 'pattern', 'required', '_meta', 'icons', 'mimeType']);

function walk(value: unknown, field: string, out: Text[], parentIsProperties: boolean): void {
  if (typeof value === 'string') {
    if (value) out.push({ field, text: value });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${field}[${i}]`, out, false));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SKIP.has(k)) continue;
      const at = field ? `${field}.${k}` : k;
      // A property's name is text the model reads as well.
      if (parentIsProperties) out.push({ field: at, text: k });
      walk(v, at, out, k === 'properties' && !parentIsProperties);
    }
  }
}

/** Every string of a definition, in order, with where it sits. */
export function definitionTexts(definition: Record<string, unknown>): Text[] {
  const out: Text[] = [];
  walk(definition, '', out, false);
  return out;
}

/** How a hidden piece of text was hidden. */
export type Via = 'tag characters' | 'zero-width characters' | 'right-to-left override' | 'encoded' | 'comment';

export interface Hidden {
  text: string;
  via: Via;
  start: number;
  end: number;
}

/** Pieces of hidden text in a string, decoded; `readable` is the string with invisible characters taken out. */
export function hiddenParts(raw: string, readable: string): Hidden[] {
  const out: Hidden[] = [];
  if (raw.search(INVISIBLE) >= 0) {
    const span = (s: string) => ({ start: 0, end: raw.length, text: s });
    for (const s of decodeTags(raw)) out.push({ ...span(s), via: 'tag characters' });
    for (const s of decodeZeroWidthBinary(raw)) out.push({ ...span(s), via: 'zero-width characters' });
    if (BIDI.test(raw)) for (const s of decodeReversed(raw)) out.push({ ...span(s), via: 'right-to-left override' });
  }
  for (const p of decodePayloads(readable)) out.push({ text: p.decoded, via: 'encoded', start: p.start, end: p.end });
  for (const pattern of COMMENTS) {
    for (const m of readable.matchAll(pattern)) {
      const inner = (m[1] ?? '').trim();
      if (inner) out.push({ text: inner, via: 'comment', start: m.index, end: m.index + m[0].length });
    }
  }
  return out;
}

export function readable(raw: string): string {
  return raw.replace(CONTROL, '').replace(INVISIBLE, '').normalize('NFKC');
}

export interface Sentence {
  text: string;
  start: number;
  end: number;
}

/**
 * Sentences of a text, with offsets: split after . ! ? followed by a space, after 。！？, at blank lines
 * and before list items. A single line break inside a paragraph is a wrapped line, not a new sentence.
 */
export function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let from = 0;
  const push = (end: number) => {
    const piece = text.slice(from, end);
    const lead = piece.length - piece.trimStart().length;
    const body = piece.trim();
    if (body) out.push({ text: body, start: from + lead, end: from + lead + body.length });
    from = end;
  };
  for (const m of text.matchAll(/[.!?]+(?=\s)|[。！？]+|\n\s*\n|\n(?=\s*(?:[-*•#>|]|\d+[.)]\s))/g)) push(m.index + m[0].length);
  push(text.length);
  return out;
}

/** Words in a text: runs of letters or digits, and each CJK character as half a word. */
export function wordCount(text: string): number {
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu) ?? [];
  let n = 0;
  for (const w of words) n += /[\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF]/u.test(w) ? Math.max(1, w.length / 2) : 1;
  return n;
}

/** Whether a sentence is prose the classifier reads: three words or more (names, ids and enum values are not). */
export function isProse(text: string): boolean {
  return wordCount(text) >= 3;
}
