// The learned part of the scanner: a small network (softmax regression, or one hidden layer) over a
// sentence's features, trained offline by scripts/scanner/train.ts; its weights ship as
// resources/scanner/classifier.json. It says how likely a sentence carries each kind of attack.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findResource } from '../../resources/index.js';
import { FEATURE_NAMES } from './features.js';
import type { Family } from './types.js';

/** The intents an attack sentence can carry. */
export const INTENTS = ['coercive_ordering', 'param_exfiltration', 'credential_harvesting', 'tool_shadowing', 'concealment', 'impersonation', 'prompt_injection'] as const satisfies readonly Family[];
export type Intent = (typeof INTENTS)[number];

export interface Layer {
  /** rows × inputs, row-major */
  weights: number[];
  bias: number[];
  rows: number;
}

export interface ClassifierFile {
  version: 3;
  features: string[];
  dims: number;
  /** Clean or attack (two outputs): trained on every sentence, attacks of all intents as one class. */
  attack: Layer[];
  /** Which intent an attack sentence carries: trained on attack sentences only. */
  intent: Layer[];
  /**
   * A one-sentence definition is flagged when its sentence's probability of being an attack reaches this;
   * a longer one's sentences must reach more (see Classifier.bar).
   */
  threshold: number;
  /** Counts of what it was trained on, for the record. */
  trainedOn: Record<string, number>;
}

export const CLASSIFIER_FILE = path.join('scanner', 'classifier.json');

/**
 * Past this many sentences a definition's bar rises no further: padding a definition with harmless
 * sentences can lift the bar its attack must pass by no more than this many times the odds.
 */
const MOST_SENTENCES = 32;

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
/** The log of how many times a definition of this many sentences multiplies the odds of the bar. */
const lengthOdds = (sentences: number) => Math.log(Math.min(Math.max(sentences, 1), MOST_SENTENCES));

export type Net = { w: Float32Array; b: Float32Array; rows: number; cols: number }[];

function loadNet(layers: Layer[], inputs: number, outputs: number): Net {
  let cols = inputs;
  const net = layers.map((l) => {
    const layer = { w: Float32Array.from(l.weights), b: Float32Array.from(l.bias), rows: l.rows, cols };
    if (layer.w.length !== l.rows * cols) throw new Error('the scanner classifier file does not fit its features');
    cols = l.rows;
    return layer;
  });
  if (cols !== outputs) throw new Error('the scanner classifier file has the wrong number of outputs');
  return net;
}

/** Every layer's output for an input, the input first (ReLU between layers, softmax at the end). */
function activations(net: Net, x: Float32Array): Float32Array[] {
  const acts = [x];
  net.forEach((l, k) => {
    const input = acts[k];
    const out = new Float32Array(l.rows);
    for (let r = 0; r < l.rows; r++) {
      let s = l.b[r];
      const at = r * l.cols;
      for (let c = 0; c < l.cols; c++) s += l.w[at + c] * input[c];
      out[r] = k < net.length - 1 ? Math.max(0, s) : s;
    }
    acts.push(k < net.length - 1 ? out : softmax(out));
  });
  return acts;
}

/** The network's output probabilities. */
export function forward(net: Net, x: Float32Array): Float32Array {
  return activations(net, x).at(-1)!;
}

export class Classifier {
  private readonly attackNet: Net;
  private readonly intentNet: Net;

  constructor(readonly file: ClassifierFile) {
    const inputs = file.features.length + file.dims;
    this.attackNet = loadNet(file.attack, inputs, 2);
    this.intentNet = loadNet(file.intent, inputs, INTENTS.length);
  }

  get threshold(): number {
    return this.file.threshold;
  }

  /**
   * The probability of being an attack a sentence must reach to flag a definition of `sentences` classified
   * sentences. A definition is flagged when any one sentence passes, so to keep a definition's false alarms
   * as rare whatever its length, each sentence's must be rarer in proportion: the odds the bar stands at
   * grow with the number of sentences (up to MOST_SENTENCES).
   */
  bar(sentences: number): number {
    return sigmoid(logit(this.file.threshold) + lengthOdds(sentences));
  }

  /**
   * A definition's score against the one-sentence threshold: its most attack-like sentence's probability,
   * with the odds divided as `bar` multiplies them. Flagged when it reaches `threshold`.
   */
  definitionScore(best: number, sentences: number): number {
    return best <= 0 ? 0 : best >= 1 ? 1 : sigmoid(logit(best) - lengthOdds(sentences));
  }

  /** How likely the sentence carries an attack, 0..1. */
  attack(x: Float32Array): number {
    return forward(this.attackNet, x)[1];
  }

  /** The intent the sentence most likely carries, were it an attack. */
  intent(x: Float32Array): Intent {
    const p = forward(this.intentNet, x);
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    return INTENTS[best];
  }
}

export function softmax(z: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v);
  let sum = 0;
  const out = new Float32Array(z.length);
  for (let i = 0; i < z.length; i++) sum += out[i] = Math.exp(z[i] - max);
  for (let i = 0; i < z.length; i++) out[i] /= sum;
  return out;
}

let shared: Classifier | undefined;

/** The shipped classifier, loaded on first use; undefined (the patterns and decoders still run) when its files are missing. */
export function shippedClassifier(): Classifier | undefined {
  try {
    return classifier();
  } catch {
    return undefined;
  }
}

/** The shipped classifier, loaded on first use. */
export function classifier(): Classifier {
  if (!shared) {
    const file = findResource(CLASSIFIER_FILE);
    if (!file) throw new Error(`Gatehouse's scanner files are missing (resources/${CLASSIFIER_FILE}); reinstall Gatehouse.`);
    const data = JSON.parse(readFileSync(file, 'utf8')) as ClassifierFile;
    if (data.version !== 3 || data.features.join('|') !== FEATURE_NAMES.join('|')) throw new Error('the scanner classifier was trained on other features; retrain it with npm run scanner:train');
    shared = new Classifier(data);
  }
  return shared;
}
