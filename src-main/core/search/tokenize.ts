// Words from tool names and text: snake_case, camelCase, kebab-case and digits split apart, lower-cased,
// light English stemming; CJK text becomes overlapping character bigrams. One pass over the characters
// (no regular expressions): indexing thousands of tools at start-up depends on it being fast.

const STOP = new Set(
  'a an and are as at be by for from has have in into is it its of on or that the this to was were will with'.split(' '),
);

const enum Kind {
  Sep,
  Lower,
  Upper,
  Digit,
  Cjk,
  Letter,
}

function kindOf(code: number): Kind {
  if (code >= 97 && code <= 122) return Kind.Lower;
  if (code >= 65 && code <= 90) return Kind.Upper;
  if (code >= 48 && code <= 57) return Kind.Digit;
  if (code < 128) return Kind.Sep;
  if (
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xf900 && code <= 0xfaff)
  ) {
    return Kind.Cjk;
  }
  // Other scripts' letters count as letters; general punctuation and symbols as separators.
  if ((code >= 0x2000 && code <= 0x2bff) || (code >= 0x3000 && code <= 0x303f) || (code >= 0xff00 && code <= 0xff20)) return Kind.Sep;
  return Kind.Letter;
}

function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** word as written → its token ('' for a stop word); words repeat across tools far more than texts do. */
const words = new Map<string, string>();

function pushWord(out: string[], word: string): void {
  let token = words.get(word);
  if (token === undefined) {
    const lower = word.toLowerCase();
    token = STOP.has(lower) ? '' : stem(lower);
    if (words.size < MEMO_MAX_ENTRIES) words.set(word, token);
  }
  if (token) out.push(token);
}

function pushCjk(out: string[], run: string): void {
  if (run.length === 1) out.push(run);
  for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
}

const memo = new Map<string, string[]>();
const MEMO_MAX_LENGTH = 64;
const MEMO_MAX_ENTRIES = 50_000;

export function tokenize(text: string | undefined): string[] {
  if (!text) return [];
  if (text.length <= MEMO_MAX_LENGTH) {
    const cached = memo.get(text);
    if (cached) return cached;
  }
  const out: string[] = [];
  let start = 0;
  let prev = Kind.Sep;
  const flush = (end: number, kind: Kind) => {
    if (end <= start) return;
    const piece = text.slice(start, end);
    if (kind === Kind.Cjk) pushCjk(out, piece);
    else pushWord(out, piece);
  };
  for (let i = 0; i < text.length; i++) {
    const kind = kindOf(text.charCodeAt(i));
    if (kind === Kind.Sep) {
      flush(i, prev);
      start = i + 1;
      prev = kind;
      continue;
    }
    if (prev !== Kind.Sep && kind !== prev) {
      // Boundaries inside a run: aB (camel), a1 / 1a (digits), latin / CJK. "HTTPResponse" splits before "Re".
      const camel = prev === Kind.Lower && kind === Kind.Upper;
      const acronymEnd = prev === Kind.Upper && kind === Kind.Lower && i - start > 1;
      const letters = (k: Kind) => k === Kind.Lower || k === Kind.Upper || k === Kind.Letter;
      if (acronymEnd) {
        flush(i - 1, prev);
        start = i - 1;
      } else if (camel || !(letters(prev) && letters(kind))) {
        flush(i, prev);
        start = i;
      }
    }
    prev = kind;
  }
  flush(text.length, prev);
  if (text.length <= MEMO_MAX_LENGTH && memo.size < MEMO_MAX_ENTRIES) memo.set(text, out);
  return out;
}
