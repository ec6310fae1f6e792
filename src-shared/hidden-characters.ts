// Characters a person does not see drawn, or that a terminal acts on instead of drawing: format, control
// and private-use characters, line and paragraph separators, Hangul fillers. Wherever Gatehouse shows a
// string a server sent (the window, the command line), each is shown as its code point instead.

export const HIDDEN_CHARACTER = /[\p{Cf}\p{Cc}\p{Co}\u2028\u2029\u115F\u1160\u3164\uFFA0]/u;
const HIDDEN_CHARACTERS = new RegExp(HIDDEN_CHARACTER.source, 'gu');

/** "U+200B", or for a tag character the letter it smuggles: "U+E0041 “A”". */
export function codePointLabel(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const tag = cp >= 0xe0020 && cp <= 0xe007e ? ` “${String.fromCharCode(cp - 0xe0000)}”` : '';
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}${tag}`;
}

/**
 * Text for a terminal: each hidden character but line breaks and tabs written as "<U+001B>", so a string a
 * server sent can neither hide words nor move the cursor, recolour, retitle or write the clipboard.
 */
export function withCodePoints(text: string): string {
  return text.replace(HIDDEN_CHARACTERS, (ch) => (ch === '\n' || ch === '\t' ? ch : `<${codePointLabel(ch)}>`));
}
