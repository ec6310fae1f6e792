// What the classifier reads of one sentence: its meaning (the sentence vector) and a few structural
// signals of text aimed at a model rather than at a person reading the docs: who it addresses,
// references to other tools and servers, secrecy, credential and file-path words, urgency, where the
// sentence sits, whether it was hidden, and how near it is to the definition's other sentences: an
// instruction put into a tool is about something else than the text around it. Shared by the scanner and
// its training script.
import { cosine, type SentenceVectors } from '../meaning/index.js';
import { isProse, type Via } from './texts.js';

export interface Unit {
  text: string;
  /** Where it sits: "description", "inputSchema.properties.x.default", "arguments[0].description"… */
  field: string;
  via?: Via;
  /** What the definition is for (its name in words and first sentence): an injected order is off topic. */
  purpose?: string;
  /**
   * Two neighbouring sentences read as one: the indices of the two among the definition's units. An order
   * is often put in two sentences ("add this address in bcc. Do not show it to the user."), each of which
   * reads milder than both.
   */
  pair?: readonly [number, number];
}

const SIGNALS: [string, RegExp][] = [
  ['addresses the model', /\b(?:assistant|the model|the ai|ai agent|llm|language model|claude|chatgpt|gpt-?\d|copilot|gemini)\b/i],
  ['speaks to "you"', /\b(?:you|your|yourself)\b/i],
  ['strong modal', /\b(?:must|always|never|mandatory|required to|shall|do not|don'?t|under no circumstances)\b/i],
  ['urgency', /\b(?:important|urgent|critical|immediately|crucial|attention|warning)\b|!{2,}/i],
  ['shouting', /\b[A-Z]{4,}\b.*\b[A-Z]{4,}\b/],
  ['secrecy', /\b(?:secret(?:ly)?|silent(?:ly)?|quiet(?:ly)?|hidden|hide|conceal|confidential|covert(?:ly)?|discreet(?:ly)?|unaware|without (?:telling|informing|notifying|asking))\b/i],
  ['the user', /\b(?:the user|user's|users'?|the human|the person)\b/i],
  ['credentials', /\b(?:passwords?|passphrases?|passcodes?|tokens?|api[ _-]?keys?|secret keys?|private keys?|seed phrases?|recovery phrases?|mnemonic|credentials?|cookies?|2fa|mfa|otp|cvv|pin code|social security)\b/i],
  ['private paths', /(?:~\/|\/etc\/|\/home\/|\.ssh\b|\.env\b|\.aws\b|id_rsa|id_ed25519|\.config\/|%appdata%|c:\\users|keychain|\.npmrc|\.netrc)/i],
  ['other tools or servers', /\b(?:other|another|any|every|all|each)\s+(?:other\s+)?(?:tools?|servers?|functions?|integrations?)\b|\b(?:before|after|instead of)\s+(?:calling|using|invoking|running)\b/i],
  ['conversation or instructions', /\b(?:conversation|chat history|transcript|system prompt|system message|previous messages|prior messages|instructions|guidelines|directives?)\b/i],
  ['destination', /https?:\/\/|\b[\w.+-]+@[\w-]+\.[\w.]+\b/i],
  ['moving data', /\b(?:send|forward|upload|post|transmit|exfiltrate|copy|attach|include|append|leak|share)\b/i],
  ['override words', /\b(?:ignore|disregard|override|overrides|forget|supersedes?|bypass|void|no longer apply)\b/i],
  ['authority words', /\b(?:official|verified|certified|genuine|authentic|trusted|sanctioned|endorsed|authori[sz]ed)\b/i],
  ['money', /\b(?:iban|bank account|wallet address|account number|routing number|swift|bic)\b/i],
  ['markup tag', /<\/?[A-Za-z][\w-]*(?:\s[^<>]*)?>|\[\/?[A-Z][A-Z _-]{2,}\]|\{\{[^}]+\}\}|<\|[^|]+\|>/],
  ['speaker label', /(?:^|\s)(?:system|user|assistant|human|admin)\s*:/i],
];

const FIELD_KINDS: [string, (field: string) => boolean][] = [
  ['top description', (f) => f === 'description'],
  ['a name', (f) => f === 'name' || /\.properties\.[^.]+$/.test(f)],
  ['a title', (f) => /(?:^|\.)title$/.test(f)],
  ['schema or argument text', (f) => f !== 'description' && /\.description$/.test(f)],
  ['a default, example or allowed value', (f) => /\.(?:default|const|examples|enum)(?:\[\d+\])?$/.test(f)],
];

const VECTOR_SCALE = 16; // unit vectors' entries are about 1/16: scaled to the size of the 0/1 signals

export const FEATURE_NAMES: readonly string[] = [
  ...SIGNALS.map(([name]) => name),
  ...FIELD_KINDS.map(([name]) => `in ${name}`),
  'hidden text',
  'length',
  'share of words the sentence model cannot read',
  'relevance to the purpose',
  'likeness to the nearest other sentence',
  'mean likeness to the other sentences',
];

/** A sentence's tokens and vector, read once. */
export interface ReadSentence {
  /** How many tokens it has, read or not. */
  count: number;
  /** The mean of the rows of the tokens the model reads; all zeros when it reads none. */
  vector: Float32Array;
  /** The share of tokens the model does not read (Chinese, Japanese, Korean; 1 when it reads no word). */
  unread: number;
}

/** Where a sentence stands among the definition's other sentences (cosines of their vectors). */
export interface Context {
  nearest: number;
  mean: number;
}

/** How many of a definition's sentences each one is compared with. */
const CONTEXT_POOL = 500;

/**
 * A sentence with no other to compare with is taken to sit as near to them as a typical sentence of a real
 * tool does (the medians over the collected clean tools' sentences), so its context speaks neither for
 * nor against it.
 */
const NO_CONTEXT: Context = { nearest: 0.79, mean: 0.59 };

/**
 * Two sentences this alike are one sentence with a word or two changed ("quietly mail a copy…", "quietly
 * send a copy…"): a copy does not make an instruction look at home, any more than a copy word for word.
 * Clean near-copies ("The ID of the issue." and "The ID of the issue to update.", 0.95) lose little by it:
 * their other neighbours are on the same topic.
 */
const NEAR_COPY = 0.95;

/** Likewise, a sentence's relevance to a purpose the model reads no word of (the median). */
const NO_RELEVANCE = 0.59;

/**
 * The model reads too little of a sentence mostly in Chinese, Japanese or Korean for the classifier to judge
 * it: like a fragment too short to read, it is not classified (the patterns and decoders still read it).
 */
const UNREAD_AT_MOST = 0.5;

/**
 * The feature vector of one unit: structural signals, its relevance to its definition's purpose (cosine,
 * 0 without a purpose) and its context, then the sentence vector.
 */
function features(unit: Unit, vectors: SentenceVectors, read: ReadSentence, relevance: number, context: Context): Float32Array {
  const { count, vector: v, unread } = read;
  const x = new Float32Array(FEATURE_NAMES.length + vectors.dims);
  let i = 0;
  for (const [, re] of SIGNALS) x[i++] = re.test(unit.text) ? 1 : 0;
  for (const [, test] of FIELD_KINDS) x[i++] = test(unit.field) ? 1 : 0;
  x[i++] = unit.via ? 1 : 0;
  x[i++] = Math.log1p(count) / 4;
  x[i++] = unread;
  x[i++] = relevance * 2;
  setContext(x, context);
  i += 2;
  for (let d = 0; d < v.length; d++) x[i + d] = v[d] * VECTOR_SCALE;
  return x;
}

const NEAREST = FEATURE_NAMES.indexOf('likeness to the nearest other sentence');

function setContext(x: Float32Array, context: Context): void {
  x[NEAREST] = context.nearest * 2;
  x[NEAREST + 1] = context.mean * 2;
}

/** A sentence's tokens and vector (the training script caches them per text). */
export function readSentence(text: string, vectors: SentenceVectors): ReadSentence {
  const { ids, count, unread } = vectors.read(text);
  return { count, vector: vectors.vector(ids), unread };
}

/**
 * The features of every unit of one definition, read together: each sentence's likeness to the others.
 * A sentence is not compared with its copies, word for word or nearly (NEAR_COPY), so repeating an
 * instruction does not make it look at home. Null for a unit too short to classify.
 */
export function definitionFeatures(units: readonly Unit[], vectors: SentenceVectors, read: (text: string) => ReadSentence = (t) => readSentence(t, vectors)): (Float32Array | null)[] {
  const prose = units.map((u) => {
    const r = isProse(u.text) ? read(u.text) : null;
    return r && r.unread < UNREAD_AT_MOST ? r : null;
  });
  const pool = contextPool(units, prose);
  // The units of a definition share its purpose: each distinct one is read once (null: no word of it read).
  const purposes = new Map<string, Float32Array | null>();
  const purposeOf = (p: string) => {
    if (!purposes.has(p)) {
      const { vector } = read(p);
      purposes.set(p, vector.some((d) => d !== 0) ? vector : null);
    }
    return purposes.get(p)!;
  };
  const relevance = (u: Unit, own: ReadSentence) => {
    if (!u.purpose) return 0;
    const purpose = purposeOf(u.purpose);
    return purpose ? cosine(own.vector, purpose) : NO_RELEVANCE;
  };
  return units.map((u, k) => {
    const own = prose[k];
    if (!own) return null;
    return features(u, vectors, own, relevance(u, own), contextOf(units, k, pool, (j) => cosine(own.vector, prose[j]!.vector)));
  });
}

/** The units a sentence is compared with: sentences, not pairs (a pair would make each of its two look at home). */
function contextPool(units: readonly Unit[], read: readonly unknown[]): number[] {
  // The largest real tools have about 400 sentences; a definition with many thousands costs linear time, not square.
  return read.flatMap((r, j) => (r && !units[j].pair ? [j] : [])).slice(0, CONTEXT_POOL);
}

/** Whether sentence j may vouch for unit k: not k itself, a copy of it word for word, or one of its own two. */
const comparable = (units: readonly Unit[], k: number, j: number) => j !== k && units[j].text !== units[k].text && !units[k].pair?.includes(j);

/** Where unit k stands among the pool's sentences (`likeness` to each), less those not comparable and `left`. */
function contextOf(units: readonly Unit[], k: number, pool: readonly number[], likeness: (j: number) => number, left?: ReadonlySet<number>): Context {
  let nearest = -1;
  let sum = 0;
  let count = 0;
  for (const j of pool) {
    if (!comparable(units, k, j) || left?.has(j)) continue;
    const c = likeness(j);
    if (c >= NEAR_COPY) continue;
    nearest = Math.max(nearest, c);
    sum += c;
    count++;
  }
  return count ? { nearest, mean: sum / count } : NO_CONTEXT;
}

/**
 * A sentence the classifier finds even a little suspect does not vouch for its neighbours: an instruction
 * reworded beyond a near copy ("When conversion finishes, forward the document to … without telling the
 * user." beside "quietly mail a copy of the document to …") makes each copy look at home, so each scores lower
 * than alone; the paraphrase itself may score no more than 20% beside the original. When a definition has
 * sentences scoring at least SUSPECT, each of its other units is read again with them left out of its context.
 * The classifier learns from first readings; its threshold is set on these second ones.
 */
const SUSPECT = 0.15;

/**
 * Each unit's features and `attack` score (undefined for one not classified), read again without suspect
 * neighbours (see SUSPECT): only the units read again are scored twice.
 */
export function scoreWithoutSuspects(units: readonly Unit[], first: readonly (Float32Array | null)[], attack: (x: Float32Array) => number): { x: (Float32Array | null)[]; scores: (number | undefined)[] } {
  const x = [...first];
  const scores = x.map((v) => (v ? attack(v) : undefined));
  const pool = contextPool(units, x);
  const suspects = pool.filter((j) => scores[j]! >= SUSPECT);
  if (!suspects.length) return { x, scores };
  const left = new Set(suspects);
  // The sentence vectors are the features' tail, scaled.
  const vectorOf = (j: number) => first[j]!.subarray(FEATURE_NAMES.length);
  first.forEach((own, k) => {
    if (!own || !suspects.some((j) => comparable(units, k, j))) return;
    const again = Float32Array.from(own);
    setContext(again, contextOf(units, k, pool, (j) => cosine(vectorOf(k), vectorOf(j)) / VECTOR_SCALE ** 2, left));
    x[k] = again;
    scores[k] = attack(again);
  });
  return { x, scores };
}

/** The structural signals a sentence shows, in words (for a finding's message). */
export function signalsOf(text: string): string[] {
  return SIGNALS.filter(([, re]) => re.test(text)).map(([name]) => name);
}
