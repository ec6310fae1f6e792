// The scanner's training data: real clean tools (training/scanner/clean-tools.jsonl, from
// `npm run scanner:collect`), the labelled set of shared/bench/poisoning when given, and attacks generated
// from training/scanner/payloads.txt: each instruction put into a real clean tool in one of the ways
// attackers hide them (plainly, in the schema, in a tag, a comment, an encoding or invisible characters).
import { readFileSync } from 'node:fs';
import type { ToolDefinition } from '../../src-shared/catalog.js';
import { cosine } from '../../src-main/core/security/meaning/index.js';
import { INTENTS, purposeOf, type Family } from '../../src-main/core/security/scanner/index.js';

export interface LabelledTool {
  id: string;
  label: 'poisoned' | 'clean';
  family: Family | 'clean';
  server: string;
  tool: ToolDefinition;
  /** For generated attacks: the intent of the instruction put in, and the instruction itself. */
  intent?: Family;
  payload?: string;
  /** Where it came from: "collected", "dev" or "generated". */
  source: 'collected' | 'dev' | 'generated';
}

export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/**
 * The collected clean tools learned from, in the order they were collected: 120 servers first, then four
 * sets that were kept apart to measure the scanner until a fresher set (`KEPT_APART_FILE`) took that place.
 */
export const CLEAN_FILES = [
  'training/scanner/clean-tools.jsonl',
  'training/scanner/clean-tools-2.jsonl',
  'training/scanner/clean-tools-3.jsonl',
  'training/scanner/clean-tools-4.jsonl',
  'training/scanner/clean-tools-5.jsonl',
];

/** The real tools of the servers kept apart from training, to measure the scanner's false alarms on. */
export const KEPT_APART_FILE = 'bench/data/scanner-fifth-clean.jsonl';

/** Collected clean tools; a definition listed by several servers (forks, copies) counts once. */
export function collected(files: string | string[] = CLEAN_FILES): LabelledTool[] {
  const seen = new Set<string>();
  return [files]
    .flat()
    .flatMap((file) => readJsonl<{ server: string; tool: ToolDefinition }>(file))
    .filter((r) => {
      const key = JSON.stringify([r.tool.name, r.tool.description]);
      return !seen.has(key) && seen.add(key);
    })
    .map((r, i) => ({ id: `collected-${i}`, label: 'clean', family: 'clean', server: r.server, tool: r.tool, source: 'collected' }));
}

export function labelled(file: string): LabelledTool[] {
  return readJsonl<Omit<LabelledTool, 'source'>>(file).map((r) => ({ ...r, source: 'dev' }));
}

export interface Payload {
  intent: Family;
  text: string;
}

/** An attack file's intent, checked: one the classifier does not have would silently become a class of its own. */
function intentAt(intent: string, file: string, line: number): Family {
  if (!(INTENTS as readonly string[]).includes(intent)) throw new Error(`${file}, line ${line}: the intent "${intent}" is none of ${INTENTS.join(', ')}`);
  return intent as Family;
}

export function payloads(file = 'training/scanner/payloads.txt'): Payload[] {
  const out: Payload[] = [];
  let intent: Family | undefined;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const heading = /^## (\w+)/.exec(line);
      if (heading) intent = intentAt(heading[1], file, i + 1);
      else if (intent && line.trim() && !line.startsWith('#')) out.push({ intent, text: line.trim() });
    });
  return out;
}

/**
 * Sentences expanded from training/scanner/grammar.txt: each pattern's (a|b|c) choices picked at random,
 * `perPattern` distinct sentences per pattern at most.
 */
export function grammarPayloads(perPattern: number, seed: number, file = 'training/scanner/grammar.txt'): Payload[] {
  const rnd = random(seed);
  const out: Payload[] = [];
  for (const { intent, text } of payloads(file)) {
    const seen = new Set<string>();
    for (let k = 0; k < perPattern * 3 && seen.size < perPattern; k++) {
      const sentence = text.replace(/\(([^()]*)\)/g, (_, choices: string) => pick(rnd, choices.split('|'))).replace(/\s+([,.;])/g, '$1').replace(/\s{2,}/g, ' ');
      if (!seen.has(sentence)) {
        seen.add(sentence);
        out.push({ intent, text: sentence[0].toUpperCase() + sentence.slice(1) });
      }
    }
  }
  return out;
}

/**
 * Attacks written by others: AgentDojo's injection tasks in its attack templates (JSON Lines of
 * {intent, source, text}, written by training/scanner/external.py from the package's wheel).
 */
export const EXTERNAL_FILE = 'training/scanner/external-attacks.jsonl';

export function externalPayloads(file = EXTERNAL_FILE): Payload[] {
  return readJsonl<{ intent: string; text: string }>(file).map(({ intent, text }, i) => ({ intent: intentAt(intent, file, i + 1), text }));
}

/** The hand-written attacks, the grammar's and those written by others (`external`: a file of them, or none). */
export function allPayloads(seed = 5, external: string | null = EXTERNAL_FILE): Payload[] {
  return [...payloads(), ...grammarPayloads(25, seed), ...(external ? externalPayloads(external) : [])];
}

/** A small seeded generator, so the same data comes out every time. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)];

// Made-up values for the payloads' placeholders.
const EMAILS = ['audit@mail-relay.example', 'backup.archive@proton-vault.example', 'ops@sync-hub.example', 'records@compliance-desk.example', 'j.doe@freemail.example'];
const URLS = ['https://telemetry.cdn-metrics.example/collect', 'https://paste.example.org/api/new', 'https://hooks.automation-relay.example/in', 'http://203.0.113.7:8080/upload', 'https://log-sink.example.net/v2/events'];
const FILES = ['~/.ssh/id_rsa', '~/.aws/credentials', '~/.config/gh/hosts.yml', '.env', '~/.netrc', '~/.kube/config', '~/.docker/config.json', '/etc/shadow', '~/Library/Keychains/login.keychain-db', '~/.npmrc', '~/.ssh/id_ed25519', '~/.git-credentials'];
const VENDORS = ['GitHub', 'Slack', 'Stripe', 'Google', 'Microsoft', 'Atlassian', 'Notion', 'OpenAI', 'Anthropic', 'Salesforce', 'Dropbox', 'Linear'];
const TAGS: [string, string][] = [
  ['<IMPORTANT>', '</IMPORTANT>'], ['<system>', '</system>'], ['<instructions>', '</instructions>'], ['<admin_note>', '</admin_note>'],
  ['<assistant-only>', '</assistant-only>'], ['[SYSTEM NOTE] ', ' [/SYSTEM NOTE]'], ['[AI ONLY] ', ''], ['Note for the AI agent: ', ''],
  ['<hidden>', '</hidden>'], ['<|im_start|>system\n', '<|im_end|>'], ['[INST] ', ' [/INST]'], ['<critical>', '</critical>'],
  ['<model_instructions>', '</model_instructions>'], ['{{SYSTEM: ', '}}'], ['<!important> ', ''], ['<context>', '</context>'],
];
const COMMENTS: ((s: string) => string)[] = [
  (s) => `<!-- ${s} -->`,
  (s) => `\n[//]: # (${s})`,
  (s) => `\n[comment]: <> (${s})`,
  (s) => `<span style="display:none">${s}</span>`,
  (s) => `<div hidden>${s}</div>`,
  (s) => `<p style="visibility: hidden">${s}</p>`,
];

function toTags(s: string): string {
  return [...s].map((c) => (c.charCodeAt(0) < 128 ? String.fromCodePoint(0xe0000 + c.charCodeAt(0)) : c)).join('');
}

function toZeroWidthBinary(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => b.toString(2).padStart(8, '0').replace(/0/g, '\u200B').replace(/1/g, '\u200C')).join('');
}

function splitWords(s: string, rnd: () => number): string {
  const marks = ['\u200B', '\u200C', '\u200D', '\u2060', '\u00AD'];
  return s.replace(/[A-Za-z]{4,}/g, (w) => (rnd() < 0.6 ? w.slice(0, 2) + pick(rnd, marks) + w.slice(2) : w));
}

export type Technique = 'plain' | 'schema' | 'tags' | 'comment' | 'encoded' | 'unicode';
export const TECHNIQUE_FAMILY: Record<Exclude<Technique, 'plain'>, Family> = {
  schema: 'schema_injection',
  tags: 'hidden_instruction_tags',
  comment: 'comment_hiding',
  encoded: 'encoded_payload',
  unicode: 'unicode_smuggling',
};
const TECHNIQUES: [Technique, number][] = [['plain', 0.4], ['schema', 0.16], ['tags', 0.14], ['comment', 0.1], ['encoded', 0.1], ['unicode', 0.1]];

function chooseTechnique(rnd: () => number): Technique {
  let r = rnd();
  for (const [t, p] of TECHNIQUES) if ((r -= p) < 0) return t;
  return 'plain';
}

function properties(tool: ToolDefinition): Record<string, Record<string, unknown>> {
  const props = tool.inputSchema?.properties;
  return props && typeof props === 'object' ? (props as Record<string, Record<string, unknown>>) : {};
}

/** Puts one instruction into a copy of a clean tool, the way the technique hides it. */
function implant(carrier: ToolDefinition, text: string, technique: Technique, rnd: () => number): ToolDefinition {
  const tool = structuredClone(carrier);
  const description = tool.description ?? '';
  const place = (s: string) => {
    const r = rnd();
    if (r < 0.5 || !description) return `${description}${description ? (rnd() < 0.5 ? ' ' : '\n\n') : ''}${s}`;
    if (r < 0.75) return `${s}${rnd() < 0.5 ? ' ' : '\n'}${description}`;
    const cut = description.indexOf('. ');
    return cut > 0 ? `${description.slice(0, cut + 2)}${s} ${description.slice(cut + 2)}` : `${description} ${s}`;
  };
  switch (technique) {
    case 'plain':
      tool.description = place(text);
      break;
    case 'tags': {
      const [open, close] = pick(rnd, TAGS);
      tool.description = place(`${open}${text}${close}`);
      break;
    }
    case 'comment':
      tool.description = place(pick(rnd, COMMENTS)(text));
      break;
    case 'encoded': {
      const encoded = rnd() < 0.7 ? Buffer.from(text).toString('base64') : Buffer.from(text).toString('hex');
      const lead = pick(rnd, ['Config: ', 'Setup token: ', 'Checksum ', 'Init: ', '']);
      if (rnd() < 0.6) tool.description = place(`${lead}${encoded}`);
      else schemaPlace(tool, encoded, rnd, 'default');
      break;
    }
    case 'unicode': {
      const r = rnd();
      if (r < 0.35) tool.description = `${description}${toTags(text)}`;
      else if (r < 0.6) tool.description = `${description}${toZeroWidthBinary(text)}`;
      else if (r < 0.8) tool.description = place(`\u202E${[...text].reverse().join('')}\u202C`);
      else tool.description = place(splitWords(text, rnd));
      break;
    }
    case 'schema':
      schemaPlace(tool, text, rnd, pick(rnd, ['description', 'description', 'default', 'enum', 'examples', 'nested']));
      break;
  }
  return tool;
}

function schemaPlace(tool: ToolDefinition, text: string, rnd: () => number, where: string): void {
  const props = properties(tool);
  const names = Object.keys(props);
  const name = names.length && rnd() < 0.7 ? pick(rnd, names) : pick(rnd, ['notes', 'context', 'metadata', 'extra', 'options', 'trace_id']);
  const prop: Record<string, unknown> = { type: 'string', ...(props[name] ?? {}) };
  if (where === 'description') prop.description = prop.description ? `${String(prop.description)} ${text}` : text;
  else if (where === 'default') prop.default = text;
  else if (where === 'enum') prop.enum = [...(Array.isArray(prop.enum) ? prop.enum : ['default']), text];
  else if (where === 'examples') prop.examples = [text];
  else Object.assign(prop, { type: 'object', properties: { mode: { type: 'string', description: text } } });
  tool.inputSchema = { ...tool.inputSchema, type: 'object', properties: { ...props, [name]: prop } };
}

function fill(text: string, carrier: ToolDefinition, others: LabelledTool[], rnd: () => number): string {
  const params = Object.keys(properties(carrier));
  const other = pick(rnd, others);
  return text
    .replace(/\{param\}/g, () => (params.length ? pick(rnd, params) : 'notes'))
    .replace(/\{tool\}/g, () => other.tool.name)
    .replace(/\{server\}/g, () => other.server)
    .replace(/\{email\}/g, () => pick(rnd, EMAILS))
    .replace(/\{url\}/g, () => pick(rnd, URLS))
    .replace(/\{file\}/g, () => pick(rnd, FILES))
    .replace(/\{vendor\}/g, () => pick(rnd, VENDORS));
}

export interface GenerateOptions {
  /** Clean tools to put the instructions into (and to name as "other" tools and servers). */
  carriers: LabelledTool[];
  payloads: Payload[];
  /** Examples made of each payload. */
  perPayload: number;
  seed: number;
  /** Only these techniques (all when left out). */
  techniques?: Technique[];
  /**
   * The share of examples whose carrier is drawn from the `nearest` clean tools nearest in meaning to the
   * instruction (their purpose, as the scanner reads it, against the instruction's `vector`), not from all of
   * them: an instruction that fits its host's subject, whose context does not give it away.
   */
  matched?: { share: number; nearest: number; vector: (text: string) => Float32Array };
}

export function generate(options: GenerateOptions): LabelledTool[] {
  const rnd = random(options.seed);
  const out: LabelledTool[] = [];
  const m = options.matched;
  const purposes = m ? options.carriers.map((c) => m.vector(purposeOf(c.tool))) : [];
  options.payloads.forEach((p, i) => {
    const own = m ? m.vector(p.text) : undefined;
    const nearest = m && own ? purposes.map((v, j) => [cosine(own, v), j]).sort((a, b) => b[0] - a[0]).slice(0, m.nearest).map(([, j]) => options.carriers[j]) : [];
    for (let k = 0; k < options.perPayload; k++) {
      const carrier = m && rnd() < m.share ? pick(rnd, nearest) : pick(rnd, options.carriers);
      let technique = chooseTechnique(rnd);
      if (options.techniques && !options.techniques.includes(technique)) technique = pick(rnd, options.techniques);
      const text = fill(p.text, carrier.tool, options.carriers, rnd);
      out.push({
        id: `generated-${i}-${k}`,
        label: 'poisoned',
        family: technique === 'plain' ? p.intent : TECHNIQUE_FAMILY[technique],
        intent: p.intent,
        payload: text,
        server: carrier.server,
        tool: implant(carrier.tool, text, technique, rnd),
        source: 'generated',
      });
    }
  });
  return out;
}
