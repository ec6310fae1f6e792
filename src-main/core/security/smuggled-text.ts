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

/** How much of what hidden text spelled is kept to be said: enough for a person to judge it. */
const MOST_SAID = 2000;

interface Frame {
  node: object;
  entries: [string, unknown][];
  next: number;
  changed?: Map<string, unknown>;
  /** Where this node sits in its parent. */
  key?: string;
}

/**
 * A server's answer with smuggled characters taken out of every string in it, and what was taken out.
 * The answer is not changed in place; what had nothing to take out is returned as it was. Walked with a
 * stack of its own, since a hostile answer may nest deeper than the call stack goes.
 */
export function removeSmuggledText<T>(value: T): { value: T; smuggled?: Smuggled } {
  const found: Smuggled = { removed: 0, said: [] };
  let saidLength = 0;
  const clean = (text: string): string => {
    const { text: out, smuggled } = removeSmuggledCharacters(text);
    if (!smuggled) return text;
    found.removed += smuggled.removed;
    for (const said of smuggled.said) {
      if (saidLength >= MOST_SAID) break;
      found.said.push(said);
      saidLength += said.length;
    }
    return out;
  };
  if (typeof value === 'string') {
    const out = clean(value);
    return found.removed ? { value: out as T, smuggled: found } : { value };
  }
  if (value === null || typeof value !== 'object') return { value };
  const frame = (node: object, key?: string): Frame => ({ node, entries: Object.entries(node), next: 0, key });
  const stack: Frame[] = [frame(value)];
  let result: unknown = value;
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.next < top.entries.length) {
      const [key, item] = top.entries[top.next++];
      if (typeof item === 'string') {
        const out = clean(item);
        if (out !== item) (top.changed ??= new Map()).set(key, out);
      } else if (item !== null && typeof item === 'object') {
        stack.push(frame(item, key));
      }
      continue;
    }
    stack.pop();
    const built = top.changed ? rebuilt(top.node, top.changed) : top.node;
    const parent = stack[stack.length - 1];
    if (!parent) result = built;
    else if (built !== top.node) (parent.changed ??= new Map()).set(top.key!, built);
  }
  return found.removed ? { value: result as T, smuggled: found } : { value };
}

/** A copy of `node` with some entries replaced, every key kept as data ("__proto__" included). */
function rebuilt(node: object, changed: Map<string, unknown>): object {
  if (Array.isArray(node)) {
    const out = [...node];
    for (const [key, item] of changed) out[Number(key)] = item;
    return out;
  }
  const out = Object.defineProperties({}, Object.getOwnPropertyDescriptors(node));
  for (const [key, item] of changed) Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
  return out;
}

/** What an activity record says was taken out: the count, and what it spelled (cut). */
export function describeSmuggled(smuggled: Smuggled, redact: (text: string) => string = (t) => t): string {
  // A server often sends one text twice (as content and as structured content): each is said once.
  const said = [...new Set(smuggled.said)].join(' … ');
  const shown = said.length > 300 ? `${said.slice(0, 300)}…` : said;
  const what = `${smuggled.removed} hidden character${smuggled.removed === 1 ? '' : 's'} taken out of what the server sent`;
  return shown ? `${what}; they spelled: "${redact(shown)}"` : what;
}
