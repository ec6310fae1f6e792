// Text a person cannot see in a definition, made visible or decoded: invisible and direction-changing
// characters, Unicode tag characters, zero-width binary, right-to-left overrides, base64 and hex runs,
// comments and hidden elements, terminal control sequences. Each decoder says where in the raw text the
// hidden text sits.
import { withCodePoints } from '../../../../src-shared/hidden-characters.js';

export const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]|\uDB40[\uDC00-\uDFFF]/g;
const TAGS = /(?:\uDB40[\uDC00-\uDC7F])+/g;
export const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
/**
 * What a terminal acts on instead of drawing: escape sequences (a colour, "conceal", a cursor move, a title
 * or clipboard write), other control characters, a carriage return not ending a line. A client in a
 * terminal shows a description through them, so they can hide or overwrite its words; none of 10,452 real
 * tools collected has one.
 */
export const CONTROL = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])?|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]|\r(?!\n)/g;
// Parts of an emoji a person sees drawn: a presentation selector right after a character that has an emoji
// form ("⚠️" is U+26A0 U+FE0F), and a joiner between two pictographs ("👩‍💻"). Only one selector per
// character: a run of them after one emoji is how bytes are smuggled.
const EMOJI_PART = /(?<=\p{Emoji})[\uFE0E\uFE0F]|(?<=\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]?)\u200D(?=\p{Extended_Pictographic})/gu;

/** The invisible and direction-changing characters of a text, leaving out those that are part of an emoji. */
export function hiddenCharacters(text: string): RegExpExecArray[] {
  const found = [...text.matchAll(INVISIBLE)];
  // Most strings have none: the emoji look-behinds run only on those that do.
  if (found.length === 0) return found;
  const drawn = new Set([...text.matchAll(EMOJI_PART)].map((m) => m.index));
  return found.filter((m) => !drawn.has(m.index));
}

/** Text with what cannot be seen written as code points: the invisible characters above, and the control and other characters the window and the command line show so. */
export function visible(text: string): string {
  return withCodePoints(text.replace(INVISIBLE, (ch) => `<U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`));
}

/** Text hidden in Unicode tag characters (U+E0000–U+E007F), which mirror ASCII. */
export function decodeTags(text: string): string[] {
  return [...text.matchAll(TAGS)].map((m) => [...m[0]].map((ch) => String.fromCharCode((ch.codePointAt(0) ?? 0) - 0xe0000)).join(''));
}

/** Bits hidden as two kinds of zero-width characters (any pair of them; separators ignored). */
export function decodeZeroWidthBinary(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[\u200B\u200C\u200D\u2060\uFEFF]{16,}/g)) {
    const run = m[0];
    for (const [zero, one] of [
      ['\u200B', '\u200C'],
      ['\u200C', '\u200B'],
      ['\u200B', '\u200D'],
      ['\u200C', '\u200D'],
    ]) {
      const bits = [...run].filter((c) => c === zero || c === one).map((c) => (c === one ? '1' : '0')).join('');
      for (const width of [8, 7]) {
        let s = '';
        for (let i = 0; i + width <= bits.length; i += width) s += String.fromCharCode(parseInt(bits.slice(i, i + width), 2));
        if (/^[\x20-\x7E\s]{6,}$/.test(s) && /[a-z]{3,} [a-z]{2,}/i.test(s)) out.push(s);
      }
    }
  }
  return out;
}

/** Text written backwards after a right-to-left override. */
export function decodeReversed(text: string): string[] {
  return [...text.matchAll(/\u202E([^\u202C\u2069]*)/g)].map((m) => [...m[1]].reverse().join(''));
}

function printable(s: string): boolean {
  return s.length >= 8 && /^[\x20-\x7E\s]+$/.test(s) && /[a-z]{2,}[ ,.:;]+[a-z]{2,}/i.test(s);
}

/** Base64 or hex runs that decode to readable text. */
export function decodePayloads(text: string): { decoded: string; start: number; end: number }[] {
  const out: { decoded: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(/(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{20,}={0,2}(?![A-Za-z0-9+/=])/g)) {
    const decoded = Buffer.from(m[0], 'base64').toString('utf8');
    if (printable(decoded)) out.push({ decoded, start: m.index!, end: m.index! + m[0].length });
  }
  for (const m of text.matchAll(/(?<![0-9a-fA-F])(?:[0-9a-fA-F]{2}){12,}(?![0-9a-fA-F])/g)) {
    const decoded = Buffer.from(m[0], 'hex').toString('utf8');
    if (printable(decoded)) out.push({ decoded, start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}


/** HTML comments, markdown comment lines and elements styled to be invisible; group 1 is the hidden text. */
export const COMMENTS: RegExp[] = [/<!--([\s\S]*?)-->/g, /^\s*\[(?:\/\/|comment)\]:\s*(?:#|<>)\s*(.*)$/gim, /<[^>]+(?:display\s*:\s*none|visibility\s*:\s*hidden|hidden(?:=|\s|>))[^>]*>([\s\S]*?)<\/[^>]+>/gi];
