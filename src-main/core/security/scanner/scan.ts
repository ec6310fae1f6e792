// The poisoning scanner: offline checks over every string of a definition (a tool's name, description and
// input schema with its descriptions, titles, defaults, enums and examples; a prompt and its arguments; a
// resource template) for attacks aimed at the model. Hidden text is decoded and read too. Three parts:
// the decoders (invisible characters, encoded runs, comments), hand-written patterns with exact spans, and
// a learned classifier that reads each sentence by meaning and catches phrasings no pattern knows.
import type { ToolDefinition } from '../../../../src-shared/catalog.js';
import { nameInWords } from '../../../../src-shared/ids.js';
import { sentenceVectors, type SentenceVectors } from '../meaning/index.js';
import { shippedClassifier, type Classifier, type Intent } from './classifier.js';
import { definitionFeatures, scoreWithoutSuspects, signalsOf, type Unit } from './features.js';
import { BIDI, CONTROL, hiddenCharacters, visible } from './hidden-text.js';
import { RULES } from './rules.js';
import { definitionTexts, hiddenParts, isProse, readable, sentences, type Hidden, type Via } from './texts.js';
import type { Family, Finding } from './types.js';

const VIA_FAMILY: Record<Via, Family> = {
  'tag characters': 'unicode_smuggling',
  'zero-width characters': 'unicode_smuggling',
  'right-to-left override': 'unicode_smuggling',
  encoded: 'encoded_payload',
  comment: 'comment_hiding',
};

/** What each kind of sentence the classifier knows does, in a person's words. */
const INTENT_WORDS: Record<Intent, string> = {
  coercive_ordering: 'an order to call this tool first, always, or instead of others',
  param_exfiltration: 'a request to put private data (files, secrets, the conversation) into a call',
  credential_harvesting: 'a request for passwords, codes, keys or other credentials',
  tool_shadowing: 'an order about how other tools must be used',
  concealment: 'an order to keep something from the user',
  impersonation: 'a claim to be the official or trusted one',
  prompt_injection: "an attempt to override the assistant's instructions",
};

export interface ScanOptions {
  /** The hand-written patterns (on by default). */
  rules?: boolean;
  /** The learned classifier (on by default); another one may be given to measure it. */
  learned?: boolean | Classifier;
  /**
   * Whether the classifier reports sentences of its own (on by default). Off, it only confirms or lowers
   * the patterns' matches: what the rest of the scanner flags, which its threshold must leave room for.
   */
  learnedFindings?: boolean;
}

/** A sentence the classifier reads, with where it sits in its string. */
export interface PlacedUnit extends Unit {
  start: number;
  end: number;
}

/** What a definition is for: its name in words and the first sentence of its description. */
export function purposeOf(definition: object): string {
  const d = definition as { name?: unknown; description?: unknown };
  const name = typeof d.name === 'string' ? nameInWords(d.name) : '';
  const first = typeof d.description === 'string' ? (sentences(readable(d.description))[0]?.text ?? '') : '';
  return `${name}. ${first}`;
}

/** One string of a definition, read: as it is, without invisible characters, and what it hides, decoded. */
interface ReadText {
  field: string;
  raw: string;
  clean: string;
  hidden: Hidden[];
}

function read(definition: object): ReadText[] {
  return definitionTexts(definition as Record<string, unknown>).map((t) => {
    const clean = readable(t.text);
    return { field: t.field, raw: t.text, clean, hidden: hiddenParts(t.text, clean) };
  });
}

function unitsOf(definition: object, texts: ReadText[]): PlacedUnit[] {
  const out: PlacedUnit[] = [];
  const purpose = purposeOf(definition);
  for (const t of texts) {
    for (const s of sentences(t.clean)) out.push({ text: s.text, field: t.field, start: s.start, end: s.end, purpose });
    for (const h of t.hidden) {
      for (const s of sentences(h.text)) out.push({ text: s.text, field: t.field, via: h.via, start: h.start, end: h.end, purpose });
    }
  }
  return out;
}

/**
 * The sentences, then each two neighbouring sentences of one string, read or hidden the same way, as one.
 * Fragments (fewer than three words) are not paired.
 */
function withPairs(sentences: PlacedUnit[]): PlacedUnit[] {
  const pairs: PlacedUnit[] = [];
  for (let k = 0; k + 1 < sentences.length; k++) {
    const a = sentences[k];
    const b = sentences[k + 1];
    if (a.field !== b.field || a.via !== b.via || !isProse(a.text) || !isProse(b.text)) continue;
    pairs.push({ text: `${a.text} ${b.text}`, field: a.field, via: a.via, start: a.start, end: b.end, purpose: a.purpose, pair: [k, k + 1] });
  }
  return [...sentences, ...pairs];
}

/** What the classifier reads of a definition: its sentences (readable text, then each decoded hidden piece) and their pairs. */
export function sentenceUnits(definition: object): PlacedUnit[] {
  return withPairs(unitsOf(definition, read(definition)));
}

/** The sentence vectors, or undefined (the patterns and decoders still run) when their files are missing. */
function shippedVectors(): SentenceVectors | undefined {
  try {
    return sentenceVectors();
  } catch {
    return undefined;
  }
}

function familyAt(field: string, via: Via | undefined, intent: Family): Family {
  if (via) return VIA_FAMILY[via];
  return field.startsWith('inputSchema') ? 'schema_injection' : intent;
}

function runRules(field: string, text: string, via: Via | undefined): Finding[] {
  const out: Finding[] = [];
  for (const rule of RULES) {
    const m = rule.pattern.exec(text);
    if (!m) continue;
    out.push({
      family: familyAt(field, via, rule.family),
      severity: rule.severity,
      message: via ? `${rule.message} (hidden: ${via})` : rule.message,
      field,
      start: m.index,
      end: m.index + m[0].length,
      excerpt: visible(m[0]),
    });
  }
  return out;
}

/** The span from the first match to the last, and an excerpt of it with a little on either side, made visible. */
function around(raw: string, matches: RegExpExecArray[]): Pick<Finding, 'start' | 'end' | 'excerpt'> {
  const start = matches[0].index;
  const end = matches.at(-1)!.index + matches.at(-1)![0].length;
  return { start, end, excerpt: visible(raw.slice(Math.max(0, start - 10), Math.min(raw.length, end + 12))).slice(0, 200) };
}

/** Findings of the decoders: terminal control sequences, invisible characters, and what was hidden with them, in encodings or comments. */
function decoderFindings({ field, raw, clean, hidden }: ReadText, findings: Finding[], rules: boolean): void {
  const controls = [...raw.matchAll(CONTROL)];
  if (controls.length) {
    const message = `${controls.length === 1 ? 'a terminal control sequence or character: a terminal acts on it instead of showing it' : `${controls.length} terminal control sequences or characters: a terminal acts on them instead of showing them`}, and can hide or overwrite words`;
    findings.push({ family: 'unicode_smuggling', severity: 'high', message, field, ...around(raw, controls) });
  }
  const invisible = hiddenCharacters(raw);
  if (invisible.length) {
    const hides = hidden.some((h) => h.via === 'tag characters' || h.via === 'zero-width characters');
    const strong = hides || BIDI.test(raw) || invisible.length >= 3;
    const message = `${invisible.length} invisible or direction-changing character(s)${hides ? ' hiding text' : ''}`;
    findings.push({ family: 'unicode_smuggling', severity: strong ? 'high' : 'low', message, field, ...around(raw, invisible) });
  }
  for (const h of hidden) {
    const before = findings.length;
    if (rules) findings.push(...runRules(field, h.text, h.via));
    if (h.via === 'encoded') {
      const instructive = findings.length > before || /\b(?:send|call|use|read|ignore|include|forward|upload|before|always|must)\b/i.test(h.text);
      findings.push({ family: 'encoded_payload', severity: instructive ? 'high' : 'medium', message: `encoded text that reads: "${h.text.slice(0, 120)}"`, field, start: h.start, end: h.end, excerpt: clean.slice(h.start, Math.min(h.end, h.start + 80)) });
    } else if (h.via === 'comment') {
      // Tool descriptions have no reason to hide words from the person reading them.
      const instructive = findings.length > before || h.text.split(/\s+/).length >= 3;
      findings.push({ family: 'comment_hiding', severity: instructive ? 'high' : 'low', message: 'text hidden in a comment or an invisible element', field, start: h.start, end: h.end, excerpt: visible(clean.slice(h.start, h.end).slice(0, 200)) });
    }
  }
}

/**
 * The attack head's score for each unit (undefined for one it does not classify), and the bar they must
 * pass, which rises with the number of sentences classified (pairs read them again, and do not count).
 */
function scoreUnits(units: PlacedUnit[], model: Classifier, vectors: SentenceVectors) {
  const { x, scores } = scoreWithoutSuspects(units, definitionFeatures(units, vectors), (v) => model.attack(v));
  return { x, attack: scores, bar: model.bar(x.filter((v, k) => v && !units[k].pair).length) };
}

/**
 * A pattern matches words, not intent: "do not ask the user to select a version" has the words of
 * concealment. A match in visible text counts when the classifier gives its sentence at least this chance
 * of being an attack; below it the match is shown at low severity. Chosen on server-held-out folds of the
 * collected tools (false alarms of patterns and classifier together 1.6% → 1.1%) and on the dev set, read
 * by classifiers trained without it (no attack lost).
 */
const PATTERN_CONFIRM = 0.1;

function confirmPatterns(matches: Finding[], units: PlacedUnit[], attack: (number | undefined)[]): void {
  for (const f of matches) {
    let best: number | undefined;
    units.forEach((u, k) => {
      const a = attack[k];
      if (a === undefined || u.via || u.pair || u.field !== f.field || u.start >= f.end || u.end <= f.start) return;
      best = Math.max(best ?? 0, a);
    });
    confirmed(f, best);
  }
}

/**
 * Lowers a finding to low severity when the best chance the classifier gives its sentence is below the
 * bar. Sentences the classifier does not read (fragments, scripts it cannot read) keep the finding's word.
 */
function confirmed(f: Finding, best: number | undefined): void {
  if (best === undefined || best >= PATTERN_CONFIRM) return;
  f.severity = 'low';
  f.message = `${f.message}, but the sentence reads as ordinary (${(best * 100).toFixed(best < 0.01 ? 1 : 0)}% likely an attack)`;
}

/** The classifier's findings: each sentence it judges an attack, with the intent it reads and why. */
function learnedFindings(units: PlacedUnit[], model: Classifier, scored: ReturnType<typeof scoreUnits>, findings: Finding[]): void {
  const { x: all, attack: scores, bar } = scored;
  units.forEach((u, k) => {
    const x = all[k];
    const attack = scores[k];
    if (!x || attack === undefined || attack < bar) return;
    const intent = model.intent(x);
    // A pattern that already explains this very sentence says it more exactly; a pair is reported only
    // when neither of its sentences is on its own (sentences come before pairs).
    if (findings.some((f) => f.field === u.field && f.start < u.end && f.end > u.start && f.severity !== 'low' && (!u.via || u.pair))) return;
    const signals = signalsOf(u.text).filter((s) => s !== 'speaks to "you"').slice(0, 3);
    findings.push({
      family: familyAt(u.field, u.via, intent),
      severity: attack >= Math.max(0.9, bar) ? 'high' : 'medium',
      message: `reads like ${INTENT_WORDS[intent]} (${(attack * 100).toFixed(attack > 0.99 ? 1 : 0)}% sure${signals.length ? `; ${signals.join(', ')}` : ''})${u.via ? ` (hidden: ${u.via})` : ''}`,
      field: u.field,
      start: u.start,
      end: u.end,
      excerpt: visible(u.text).slice(0, 300),
    });
  });
}

/**
 * The most sentences of one definition the classifier reads: more than one and a half times the longest
 * real tool seen (636, of 7,160 tools of 286 npm servers), so that a hostile server cannot hold Gatehouse
 * up for seconds with one definition (each sentence is compared with up to 500 others). The patterns and
 * decoders read past it, at a small part of the cost.
 */
const MOST_CLASSIFIED = 1000;

/** A definition too long for the classifier to read to the end: no real tool is, and the rest goes unread. */
function oversized(units: PlacedUnit[], read: number): Finding {
  const first = units[read];
  return {
    family: 'oversized_definition',
    severity: 'medium',
    message: `${units.length} sentences, far more than any real tool has: the classifier read the first ${read}, the patterns and decoders all of them`,
    field: first.field,
    start: first.start,
    end: first.end,
    excerpt: visible(first.text).slice(0, 300),
  };
}

/** The classifier the options ask for, and the sentence vectors it reads (either undefined when missing or off). */
function classifierOf(options: ScanOptions): { model?: Classifier; vectors?: SentenceVectors } {
  const model = options.learned === false ? undefined : options.learned === true || options.learned === undefined ? shippedClassifier() : options.learned;
  return { model, vectors: model && shippedVectors() };
}

/** Scans one definition (a tool, a prompt or a resource template); an empty list means nothing was found. */
export function scanDefinition(definition: object, options: ScanOptions = {}): Finding[] {
  const rules = options.rules !== false;
  const findings: Finding[] = [];
  const visibleMatches: Finding[] = [];
  const texts = read(definition);
  for (const t of texts) {
    // Invisible characters can split words ("ig<U+200B>nore"): patterns read the text without them.
    if (rules) {
      const matches = runRules(t.field, t.clean, undefined);
      findings.push(...matches);
      visibleMatches.push(...matches);
    }
    decoderFindings(t, findings, rules);
  }
  const { model, vectors } = classifierOf(options);
  if (model && vectors) {
    const all = unitsOf(definition, texts);
    const units = withPairs(all.slice(0, MOST_CLASSIFIED));
    if (all.length > MOST_CLASSIFIED) findings.push(oversized(all, MOST_CLASSIFIED));
    const scored = scoreUnits(units, model, vectors);
    confirmPatterns(visibleMatches, units, scored.attack);
    if (options.learnedFindings !== false) learnedFindings(units, model, scored, findings);
  }
  return findings;
}

/** Scans one tool; an empty list means nothing was found. */
export const scanTool = scanDefinition;

/** Whether findings are enough to flag a tool: anything of medium or high severity. */
export function flagged(findings: Finding[]): boolean {
  return findings.some((f) => f.severity !== 'low');
}

/**
 * The tool names a server's descriptions are checked for: other servers' tools (name → server), less the
 * names the server lists itself. "For a single file use delete_file instead" in a server that has a
 * delete_file speaks of its own tool, whichever other server has one too.
 */
export function otherServersTools(server: string, tools: Iterable<{ server: string; name: string }>): Map<string, string> {
  const all = [...tools];
  const own = new Set(all.filter((t) => t.server === server).map((t) => t.name));
  return new Map(all.filter((t) => t.server !== server && !own.has(t.name)).map((t) => [t.name, t.server]));
}

const SHADOWING_READ = 100_000;

/** A name with up to this many dots ("files.read" has one) is looked up; one with more is sought with a pattern. */
const MOST_DOTS = 3;
const DOTTED_NAME = new RegExp(`^[\\w-]+(?:\\.[\\w-]+){0,${MOST_DOTS}}$`);

/**
 * Where each word of a text first stands: every run of word characters and hyphens, and every few such runs
 * joined by single dots. A name with these characters stands in the text, with neither of them on either
 * side, exactly where such a word does; so one pass over the text serves every name.
 */
function firstPlaces(text: string): Map<string, number> {
  const places = new Map<string, number>();
  const runs = [...text.matchAll(/[\w-]+/g)];
  runs.forEach((run, i) => {
    let word = run[0];
    let end = run.index + word.length;
    if (!places.has(word)) places.set(word, run.index);
    for (let k = i + 1; k <= i + MOST_DOTS && k < runs.length && text[end] === '.' && runs[k].index === end + 1; k++) {
      word = `${word}.${runs[k][0]}`;
      end = runs[k].index + runs[k][0].length;
      if (!places.has(word)) places.set(word, run.index);
    }
  });
  return places;
}

/**
 * Shadowing across servers: a description that names another server's tool (by an identifier-like
 * name such as `send_email`, not a plain word) may be trying to steer how that tool is used. A name is
 * words, not intent ("pass the id that list_repos returns" names one too), so the classifier confirms it
 * as it confirms a pattern: `options.learned` as in `scanDefinition`.
 */
export function scanShadowing(tool: ToolDefinition, others: ReadonlyMap<string, string>, options: ScanOptions = {}): Finding[] {
  // Bounded, so that a description of megabytes cannot hold Gatehouse up: twice the longest real definition seen (46 KB).
  if (!others.size) return [];
  // A listing read from a file may carry any value as a description; only a string has words to read.
  const text = typeof tool.description === 'string' ? tool.description.slice(0, SHADOWING_READ) : '';
  const places = firstPlaces(text);
  const findings: Finding[] = [];
  const names: string[] = [];
  for (const [name, server] of others) {
    if (name === tool.name || name.length < 6 || !/[_\-.]|[a-z][A-Z]/.test(name)) continue;
    const at = DOTTED_NAME.test(name) ? places.get(name) : new RegExp(`(?<![\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).exec(text)?.index;
    if (at === undefined) continue;
    names.push(name);
    findings.push({
      family: 'tool_shadowing',
      severity: 'medium',
      message: `names "${name}", a tool of server "${server}"`,
      field: 'description',
      start: at,
      end: at + name.length,
      excerpt: visible(text.slice(Math.max(0, at - 40), at + name.length + 40)),
    });
  }
  if (findings.length) confirmNames(findings, names, tool, options);
  return findings;
}

/**
 * Each name found is shown at low severity when every sentence of the description that holds it, alone
 * or with its neighbour, reads as ordinary (below the bar a pattern's match must pass).
 */
function confirmNames(found: Finding[], names: string[], tool: ToolDefinition, options: ScanOptions): void {
  const { model, vectors } = classifierOf(options);
  if (!model || !vectors) return;
  // Scored as scanDefinition scores them, so that a sentence reads the same in both.
  const units = withPairs(unitsOf(tool, read(tool)).slice(0, MOST_CLASSIFIED));
  const { attack } = scoreUnits(units, model, vectors);
  found.forEach((f, i) => {
    let best: number | undefined;
    units.forEach((u, k) => {
      const a = attack[k];
      if (a !== undefined && u.field === 'description' && u.text.includes(names[i])) best = Math.max(best ?? 0, a);
    });
    confirmed(f, best);
  });
}
