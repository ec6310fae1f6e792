// Text a model reads and a person never sees, taken out of what servers send back to agents (tool results,
// prompt messages, resource contents). Those carry what a server fetched — a web page, an e-mail, a file —
// so anyone can put words in them. Three ways of writing words no screen draws: Unicode tag characters,
// which mirror ASCII letter for letter; a run of variation selectors after a character, one byte each;
// and a long run of zero-width characters, one bit each. A person can see none of them in a result, and
// none has a use there but these, which are kept: a flag's tag sequence, one selector after a character.
import { decodeTags, decodeZeroWidthBinary } from './scanner/hidden-text.js';

/** Tag characters (U+E0000–E007F), variation selectors (U+FE00–FE0F, U+E0100–E01EF), zero-width characters. */
const MAYBE = /[\uDB40\uFE00-\uFE0F\u200B-\u200D\u2060\uFEFF]/;
/** Runs of tag characters, or a subdivision flag (🏴, its region in tag letters, the cancel tag), drawn as one flag and kept. */
const TAGS = /(\uD83C\uDFF4(?:\uDB40[\uDC20-\uDC7E])+\uDB40\uDC7F)|(?:\uDB40[\uDC00-\uDC7F])+/g;
const SELECTOR = '(?:[\\uFE00-\\uFE0F]|\\uDB40[\\uDD00-\\uDDEF])';
/** Two or more selectors in a row (one byte each, the first included), or any at the very start. */
const EXTRA_SELECTORS = new RegExp(`${SELECTOR}{2,}|^${SELECTOR}+`, 'g');
const ZERO_WIDTH_RUN = /[\u200B\u200C\u200D\u2060\uFEFF]{16,}/g;

export interface Smuggled {
  /** How many characters were taken out. */
  removed: number;
  /** What the ones that spell text said, as far as they decode. */
  said: string[];
}

/** `text` without smuggled characters, and what was taken out (undefined when nothing was). */
export function removeSmuggledCharacters(text: string): { text: string; smuggled?: Smuggled } {
  if (!MAYBE.test(text)) return { text };
  const said: string[] = [];
  let removed = 0;
  let rest = text.replace(TAGS, (run, flag: string | undefined) => {
    if (flag) return flag;
    said.push(...decodeTags(run).filter((s) => s.trim()));
    removed += [...run].length;
    return '';
  });
  rest = rest.replace(EXTRA_SELECTORS, (run) => {
    const bytes = [...run].map((ch) => {
      const cp = ch.codePointAt(0) ?? 0;
      return cp <= 0xfe0f ? cp - 0xfe00 : cp - 0xe0100 + 16;
    });
    const decoded = Buffer.from(bytes).toString('utf8');
    if (/^[\p{L}\p{N}\p{P}\p{Zs}\n]{3,}$/u.test(decoded)) said.push(decoded);
    removed += bytes.length;
    return '';
  });
  rest = rest.replace(ZERO_WIDTH_RUN, (run) => {
    said.push(...decodeZeroWidthBinary(run));
    removed += run.length;
    return '';
  });
  if (removed === 0) return { text };
  return { text: rest, smuggled: { removed, said } };
}

/**
 * A server's answer with smuggled characters taken out of every string in it, and what was taken out.
 * The answer is not changed in place; what had nothing to take out is returned as it was.
 */
export function removeSmuggledText<T>(value: T): { value: T; smuggled?: Smuggled } {
  const found: Smuggled = { removed: 0, said: [] };
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      const { text, smuggled } = removeSmuggledCharacters(v);
      if (!smuggled) return v;
      found.removed += smuggled.removed;
      found.said.push(...smuggled.said);
      return text;
    }
    // Answers deeper than this were refused by the SDK already; the bound keeps a hostile one from costing the stack.
    if (v === null || typeof v !== 'object' || depth > 200) return v;
    if (Array.isArray(v)) {
      let changed = false;
      const out = v.map((item) => {
        const next = walk(item, depth + 1);
        if (next !== item) changed = true;
        return next;
      });
      return changed ? out : v;
    }
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(v)) {
      const next = walk(item, depth + 1);
      if (next !== item) {
        // A copy that keeps every key as data, whatever its name ("__proto__" included).
        out ??= Object.defineProperties({}, Object.getOwnPropertyDescriptors(v));
        Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
      }
    }
    return out ?? v;
  };
  const value2 = walk(value, 0) as T;
  return found.removed ? { value: value2, smuggled: found } : { value };
}

/** What an activity record says was taken out: the count, and what it spelled (cut). */
export function describeSmuggled(smuggled: Smuggled, redact: (text: string) => string = (t) => t): string {
  // A server often sends one text twice (as content and as structured content): each is said once.
  const said = [...new Set(smuggled.said)].join(' … ');
  const shown = said.length > 300 ? `${said.slice(0, 300)}…` : said;
  const what = `${smuggled.removed} hidden character${smuggled.removed === 1 ? '' : 's'} taken out of what the server sent`;
  return shown ? `${what}; they spelled: "${redact(shown)}"` : what;
}
