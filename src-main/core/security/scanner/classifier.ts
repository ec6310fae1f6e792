// The learned part of the scanner: a small network (softmax regression, or one hidden layer) over a
// sentence's features, with gradient-boosted trees beside its attack head, trained offline by
// scripts/scanner/train.ts; both ship as resources/scanner/classifier.json. It says how likely a sentence
// carries each kind of attack.
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

/**
 * One regression tree, flat: node k goes left when feature[k] is at most threshold[k]; a child below zero
 * is a leaf, value[-1 - child]. Written by training/scanner/trees.py from LightGBM's trees.
 */
export interface Tree {
  root: number;
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface ClassifierFile {
  version: 4;
  features: string[];
  dims: number;
  /** Clean or attack (two outputs): trained on every sentence, attacks of all intents as one class. */
  attack: Layer[];
  /**
   * Trees over the same features whose summed leaves are log-odds too: the attack head's score is the mean
   * of the layer's and theirs. The linear layer weighs every signal alone, the trees combinations of them;
   * together they catch more of the kinds of attack neither was shown than either alone.
   */
  trees?: Tree[];
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

/** The network's last layer before its softmax (ReLU between layers). */
function outputScores(net: Net, x: Float32Array): Float64Array {
  let input: ArrayLike<number> = x;
  let out = new Float64Array(0);
  net.forEach((l, k) => {
    out = new Float64Array(l.rows);
    for (let r = 0; r < l.rows; r++) {
      let s = l.b[r];
      const at = r * l.cols;
      for (let c = 0; c < l.cols; c++) s += l.w[at + c] * input[c];
      out[r] = k < net.length - 1 ? Math.max(0, s) : s;
    }
    input = out;
  });
  return out;
}

/** The network's output probabilities. */
export function forward(net: Net, x: Float32Array): Float32Array {
  return softmax(Float32Array.from(outputScores(net, x)));
}

/** The trees' summed leaves for an input: log-odds. */
function treeScore(trees: readonly Tree[], x: Float32Array): number {
  let sum = 0;
  for (const t of trees) {
    let k = t.root;
    while (k >= 0) k = x[t.feature[k]] <= t.threshold[k] ? t.left[k] : t.right[k];
    sum += t.value[-1 - k];
  }
  return sum;
}

function checkTrees(trees: readonly Tree[], inputs: number): void {
  for (const t of trees) {
    const nodes = t.feature.length;
    const fits = t.threshold.length === nodes && t.left.length === nodes && t.right.length === nodes && t.root < nodes && t.root >= -t.value.length;
    const inside = (c: number) => Number.isInteger(c) && c < nodes && c >= -t.value.length;
    if (!fits || !t.feature.every((f) => Number.isInteger(f) && f >= 0 && f < inputs) || !t.left.every(inside) || !t.right.every(inside)) {
      throw new Error('the scanner classifier file has a tree that does not fit its features');
    }
  }
}

export class Classifier {
  private readonly attackNet: Net;
  private readonly intentNet: Net;

  constructor(readonly file: ClassifierFile) {
    const inputs = file.features.length + file.dims;
    this.attackNet = loadNet(file.attack, inputs, 2);
    this.intentNet = loadNet(file.intent, inputs, INTENTS.length);
    if (file.trees) checkTrees(file.trees, inputs);
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
    const z = outputScores(this.attackNet, x);
    const linear = z[1] - z[0];
    return sigmoid(this.file.trees ? (linear + treeScore(this.file.trees, x)) / 2 : linear);
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
    if (data.version !== 4 || data.features.join('|') !== FEATURE_NAMES.join('|')) throw new Error('the scanner classifier was trained on other features; retrain it with npm run scanner:train');
    shared = new Classifier(data);
  }
  return shared;
}
