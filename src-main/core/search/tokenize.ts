// Words from tool names and text: snake_case, camelCase, kebab-case and digits split apart, lower-cased,
// light English stemming; CJK text becomes overlapping character bigrams.

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;
const STOP = new Set(
  'a an and are as at be by for from has have in into is it its of on or that the this to was were will with'.split(' '),
);

function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

export function tokenize(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  const spaced = text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .toLowerCase();
  for (const chunk of spaced.split(/[^\p{L}\p{N}]+/u)) {
    if (!chunk) continue;
    if (CJK.test(chunk)) {
      out.push(...cjkTokens(chunk));
      continue;
    }
    if (STOP.has(chunk)) continue;
    out.push(stem(chunk));
  }
  return out;
}

function cjkTokens(chunk: string): string[] {
  const out: string[] = [];
  let run = '';
  const flush = () => {
    if (run.length === 1) out.push(run);
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
    run = '';
  };
  for (const ch of chunk) {
    if (CJK.test(ch)) run += ch;
    else {
      flush();
      out.push(ch);
    }
  }
  flush();
  return out.filter((t) => t.trim() && !STOP.has(t));
}
