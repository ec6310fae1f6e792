// What the classifier reads of one sentence: its meaning (the sentence vector) and a few structural
// signals of text aimed at a model rather than at a person reading the docs: who it addresses,
// references to other tools and servers, secrecy, credential and file-path words, urgency, where the
// sentence sits and whether it was hidden. Shared by the scanner and its training script.
import { cosine, type SentenceVectors } from '../meaning/index.js';
import type { Via } from './texts.js';

export interface Unit {
  text: string;
  /** Where it sits: "description", "inputSchema.properties.x.default", "arguments[0].description"… */
  field: string;
  via?: Via;
  /** What the definition is for (its name in words and first sentence): an injected order is off topic. */
  purpose?: string;
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
  'relevance to the purpose',
];

/** The feature vector of one unit: structural signals, then the sentence vector. */
export function features(unit: Unit, vectors: SentenceVectors, ids = vectors.tokens(unit.text)): Float32Array {
  const x = new Float32Array(FEATURE_NAMES.length + vectors.dims);
  let i = 0;
  for (const [, re] of SIGNALS) x[i++] = re.test(unit.text) ? 1 : 0;
  for (const [, test] of FIELD_KINDS) x[i++] = test(unit.field) ? 1 : 0;
  x[i++] = unit.via ? 1 : 0;
  x[i++] = Math.log1p(ids.length) / 4;
  const v = vectors.vector(unit.text, ids);
  x[i++] = unit.purpose ? cosine(v, vectors.vector(unit.purpose)) * 2 : 0;
  for (let d = 0; d < v.length; d++) x[i + d] = v[d] * VECTOR_SCALE;
  return x;
}

/** The structural signals a sentence shows, in words (for a finding's message). */
export function signalsOf(text: string): string[] {
  return SIGNALS.filter(([, re]) => re.test(text)).map(([name]) => name);
}
