// Training and judging the scanner's classifier. Training data is per sentence: every sentence of a clean
// tool is clean (label 0); in a generated attack the sentences that carry the inserted instruction take its
// intent (label 1 + its index in INTENTS), and sentences that mix it with the carrier's own text are left
// out. The attack head is a weighted logistic regression solved to its optimum (L-BFGS, until a step no
// longer lowers the loss), so its scores do not depend on how long it was trained; the intent head, a
// softmax layer trained with Adam on attack sentences, only names the kind. The loss and its gradient are
// written here: no maintained npm package fits a weighted logistic regression on our own feature vectors
// without pulling in a tensor runtime. Beside it, gradient-boosted trees on the same rows and weights are
// fitted by LightGBM (training/scanner/trees.py, Python): npm has no maintained trainer of them that takes
// per-row weights.
import { Classifier, definitionFeatures, type Tree, scoreWithoutSuspects, FEATURE_NAMES, flagged, forward, INTENTS, otherServersTools, readSentence, scanDefinition, scanShadowing, sentenceUnits, type Intent, type Layer, type PlacedUnit, type ReadSentence } from '../../src-main/core/security/scanner/index.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lbfgs } from './lbfgs.js';
import { sentenceVectors } from '../../src-main/core/security/meaning/index.js';
import { random, type LabelledTool } from './dataset.js';

export interface Sample {
  x: Float32Array;
  y: number;
  w: number;
}

const read = new Map<string, ReadSentence>();
const perTool = new WeakMap<object, { units: PlacedUnit[]; x: (Float32Array | null)[] }>();

/**
 * A tool's sentences and their features, or null for one too short to read. Cached per tool, and each
 * sentence's tokens and vector per text, since the same tools and sentences recur across folds.
 */
export function toolFeatures(t: LabelledTool): { units: PlacedUnit[]; x: (Float32Array | null)[] } {
  let out = perTool.get(t.tool);
  if (!out) {
    const vectors = sentenceVectors();
    const units = sentenceUnits(t.tool);
    const cached = (text: string) => {
      let r = read.get(text);
      if (!r) read.set(text, (r = readSentence(text, vectors)));
      return r;
    };
    out = { units, x: definitionFeatures(units, vectors, cached) };
    perTool.set(t.tool, out);
  }
  return out;
}

const words = (s: string) => new Set(s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
/** Each generated attack's instruction in words, read once for all its units and every fit. */
const payloadWords = new WeakMap<LabelledTool, Set<string>>();

/**
 * A unit's label in one labelled tool: 0 clean, 1 + the intent's index for one carrying the inserted
 * instruction, -1 for one that mixes it with the carrier's own words (left out), or for a poisoned tool
 * without a known instruction.
 */
export function unitLabel(t: LabelledTool, u: PlacedUnit): number {
  if (t.label === 'clean') return 0;
  const intent = t.intent ? INTENTS.indexOf(t.intent as Intent) + 1 : -1;
  if (!t.payload || intent < 1) return -1;
  const payload = payloadWords.get(t) ?? payloadWords.set(t, words(t.payload)).get(t)!;
  const w = words(u.text);
  let shared = 0;
  for (const v of w) if (payload.has(v)) shared++;
  const ofUnit = w.size ? shared / w.size : 0;
  const ofPayload = payload.size ? shared / payload.size : 0;
  if (u.via || ofUnit >= 0.6 || ofPayload >= 0.8) return intent;
  return ofUnit < 0.2 ? 0 : -1;
}

/** The labelled sentences of one tool, those left out (unitLabel -1) skipped. */
export function labelUnits(t: LabelledTool): { x: Float32Array; y: number; text: string }[] {
  const { units, x: all } = toolFeatures(t);
  return units.flatMap((u, k) => {
    const x = all[k];
    const y = x ? unitLabel(t, u) : -1;
    return x && y >= 0 ? [{ x, y, text: u.text }] : [];
  });
}

export interface TrainOptions {
  /** The intent head's Adam: passes over the data, step size, L2 penalty, shuffling seed. */
  epochs: number;
  rate: number;
  l2: number;
  seed: number;
  /** Share of the total weight that attack sentences get (the rest goes to clean ones). */
  attackWeight: number;
  /** The attack head's L2 penalty, and the most L-BFGS steps it may take (it converges in a few hundred). */
  attackL2: number;
  iterations: number;
  /** Fit the trees beside the attack head's layer (false: the layer alone). */
  trees: boolean;
}

export const DEFAULTS: TrainOptions = { epochs: 25, rate: 0.003, l2: 1e-4, seed: 7, attackWeight: 0.2, attackL2: 2e-4, iterations: 1000, trees: true };

/** Scripts whose text the attack data must not be told apart by: CJK, Cyrillic, Arabic, Hebrew, Hangul… */
export const NON_LATIN = /[\u0400-\u04FF\u0590-\u06FF\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF]/;

/**
 * Weighted samples: attack sentences get `attackWeight` of the total weight, clean ones the rest. Within
 * each side, sentences in non-Latin scripts get the same share of the weight on both sides, so the
 * classifier cannot learn that a script (rare among real clean tools, common among the written attacks)
 * means an attack.
 */
export function samples(tools: LabelledTool[], extra: { x: Float32Array; y: number; text?: string }[] = [], attackWeight = DEFAULTS.attackWeight): Sample[] {
  const rows = [...tools.flatMap(labelUnits), ...extra];
  const foreign = (r: { text?: string }) => NON_LATIN.test(r.text ?? '');
  const share = (side: typeof rows) => (side.length ? side.filter(foreign).length / side.length : 0);
  const clean = rows.filter((r) => r.y === 0);
  const attacks = rows.filter((r) => r.y > 0);
  const target = Math.max(share(clean), 0.001);
  const attackForeign = share(attacks);
  const weightOf = (r: (typeof rows)[number]) => {
    const side = r.y > 0 ? attacks : clean;
    const total = (r.y > 0 ? attackWeight : 1 - attackWeight) * rows.length;
    if (r.y === 0 || attackForeign === 0) return total / side.length;
    // Attack sentences: the foreign ones share `target` of the attack weight, the rest the remainder.
    return foreign(r) ? (total * target) / (attackForeign * side.length) : (total * (1 - target)) / ((1 - attackForeign) * side.length);
  };
  return rows.map((r) => ({ x: r.x, y: r.y, w: weightOf(r) }));
}

/**
 * The shipped kind of classifier: an attack head (clean against every attack, one class: it generalises to
 * intents it never saw better than picking among known ones) and an intent head trained on attacks only.
 */
export function train(data: Sample[], options: Partial<TrainOptions> = {}): Classifier {
  const attack = trainLogistic(data, { ...DEFAULTS, ...options });
  const intent = trainNet(
    data.filter((s) => s.y > 0).map((s) => ({ ...s, y: s.y - 1, w: 1 })),
    INTENTS.length,
    options,
  );
  const trees = (options.trees ?? DEFAULTS.trees) ? fitTrees(data) : undefined;
  return new Classifier({ version: 4, features: [...FEATURE_NAMES], dims: data[0].x.length - FEATURE_NAMES.length, attack, trees, intent, threshold: 0.5, trainedOn: {} });
}

/** Gradient-boosted trees, clean against attack, fitted by LightGBM on the same rows and weights. */
function fitTrees(data: Sample[]): Tree[] {
  const d = data[0].x.length;
  const folder = mkdtempSync(path.join(tmpdir(), 'gatehouse-trees-'));
  try {
    const x = new Float32Array(data.length * d);
    data.forEach((s, i) => x.set(s.x, i * d));
    writeFileSync(path.join(folder, 'x.f32'), x);
    writeFileSync(path.join(folder, 'y.u8'), Uint8Array.from(data, (s) => (s.y > 0 ? 1 : 0)));
    writeFileSync(path.join(folder, 'w.f32'), Float32Array.from(data, (s) => s.w));
    writeFileSync(path.join(folder, 'shape.json'), JSON.stringify({ n: data.length, d }));
    const python = process.env.PYTHON ?? 'python3';
    const run = spawnSync(python, [path.resolve('training/scanner/trees.py'), folder], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
    if (run.error || run.status !== 0) {
      const why = run.error?.message ?? run.stderr.trim().split('\n').at(-1);
      throw new Error(`fitting the scanner's trees failed (${why}): it needs ${python} with training/scanner/requirements.txt installed (pip install -r training/scanner/requirements.txt)`);
    }
    return JSON.parse(readFileSync(path.join(folder, 'trees.json'), 'utf8')) as Tree[];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Clean (y = 0) against attack (y > 0): the weighted mean log-loss plus an L2 penalty on the weights,
 * minimised. Shipped as a two-class softmax layer, whose clean row is zero: softmax([0, z])[1] = sigmoid(z).
 */
function trainLogistic(data: Sample[], o: TrainOptions): Layer[] {
  const n = data.length;
  const d = data[0].x.length;
  // One flat matrix: the loss is evaluated a few hundred times over every sample.
  const X = new Float32Array(n * d);
  const y = new Uint8Array(n);
  const w = new Float64Array(n);
  let total = 0;
  data.forEach((s, i) => {
    X.set(s.x, i * d);
    y[i] = s.y > 0 ? 1 : 0;
    w[i] = s.w;
    total += s.w;
  });
  const p = new Float64Array(d);
  const g = new Float64Array(d);
  const loss = (params: Float64Array, grad: Float64Array): number => {
    p.set(params.subarray(0, d));
    const bias = params[d];
    g.fill(0);
    let sum = 0;
    let gBias = 0;
    for (let i = 0; i < n; i++) {
      const at = i * d;
      let z = bias;
      for (let c = 0; c < d; c++) z += p[c] * X[at + c];
      const m = y[i] ? -z : z; // the loss is log(1 + e^m)
      sum += w[i] * (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));
      const e = (w[i] * (1 / (1 + Math.exp(-z)) - y[i])) / total;
      if (e === 0) continue;
      for (let c = 0; c < d; c++) g[c] += e * X[at + c];
      gBias += e;
    }
    let penalty = 0;
    for (let c = 0; c < d; c++) {
      penalty += p[c] * p[c];
      grad[c] = g[c] + o.attackL2 * p[c];
    }
    grad[d] = gBias;
    return sum / total + 0.5 * o.attackL2 * penalty;
  };
  const { x } = lbfgs(loss, new Float64Array(d + 1), { maxIterations: o.iterations });
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  return [{ weights: [...new Array<number>(d).fill(0), ...[...x.subarray(0, d)].map(round)], bias: [0, round(x[d])], rows: 2 }];
}

/** A softmax layer with `outputs` classes, trained with Adam on weighted cross-entropy. */
function trainNet(data: Sample[], outputs: number, options: Partial<TrainOptions>): Layer[] {
  const o = { ...DEFAULTS, ...options };
  const rnd = random(o.seed);
  const inputs = data[0].x.length;
  const layer = { w: new Float32Array(outputs * inputs), b: new Float32Array(outputs), rows: outputs, cols: inputs };
  const zeros = () => ({ w: new Float32Array(layer.w.length), b: new Float32Array(outputs) });
  const [m, v, grad] = [zeros(), zeros(), zeros()];
  const batch = 64;
  const order = data.map((_, i) => i);
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let start = 0; start < order.length; start += batch) {
      grad.w.fill(0);
      grad.b.fill(0);
      let weight = 0;
      for (const idx of order.slice(start, start + batch)) {
        const s = data[idx];
        weight += s.w;
        // Cross-entropy through softmax: the gradient of the scores is (p - onehot(y)), weighted.
        const delta = Float32Array.from(forward([layer], s.x));
        delta[s.y] -= 1;
        for (let r = 0; r < outputs; r++) {
          const dr = delta[r] * s.w;
          if (dr === 0) continue;
          grad.b[r] += dr;
          const at = r * inputs;
          for (let c = 0; c < inputs; c++) grad.w[at + c] += dr * s.x[c];
        }
      }
      step++;
      const b1 = 0.9;
      const b2 = 0.999;
      for (const key of ['w', 'b'] as const) {
        const p = layer[key];
        const g = grad[key];
        const mk = m[key];
        const vk = v[key];
        for (let i = 0; i < p.length; i++) {
          const gi = g[i] / weight + (key === 'w' ? o.l2 * p[i] : 0);
          mk[i] = b1 * mk[i] + (1 - b1) * gi;
          vk[i] = b2 * vk[i] + (1 - b2) * gi * gi;
          p[i] -= (o.rate * (mk[i] / (1 - b1 ** step))) / (Math.sqrt(vk[i] / (1 - b2 ** step)) + 1e-8);
        }
      }
    }
  }
  const round = (x: number) => Math.round(x * 1e5) / 1e5;
  return [{ weights: [...layer.w].map(round), bias: [...layer.b].map(round), rows: outputs }];
}

/**
 * A tool's attack score, compared with the classifier's threshold: its most attack-like sentence's
 * probability, weighed against how many sentences it has (Classifier.definitionScore).
 */
export function toolScore(model: Classifier, t: LabelledTool): { score: number; best?: { unit: PlacedUnit; x: Float32Array; intent: Intent } } {
  let top = 0;
  let count = 0;
  let best: { unit: PlacedUnit; x: Float32Array } | undefined;
  const { units, x: first } = toolFeatures(t);
  const { x: all, scores } = scoreWithoutSuspects(units, first, (v) => model.attack(v));
  for (const [k, u] of units.entries()) {
    const x = all[k];
    const p = scores[k];
    if (!x || p === undefined) continue;
    if (!u.pair) count++;
    if (p > top) {
      top = p;
      best = { unit: u, x };
    }
  }
  return { score: model.definitionScore(top, count), best: best && { ...best, intent: model.intent(best.x) } };
}

const decoderCache = new WeakMap<LabelledTool, boolean>();

/** Whether the decoders alone flag a tool (hidden text: invisible characters, encodings, comments). */
export function decodersFlag(t: LabelledTool): boolean {
  let hit = decoderCache.get(t);
  if (hit === undefined) {
    hit = flagged(scanDefinition(t.tool, { rules: false, learned: false }));
    decoderCache.set(t, hit);
  }
  return hit;
}

/** The threshold at which at most `rate` of these clean tools' scores are flagged. */
export function thresholdFor(cleanScores: number[], rate: number): number {
  const sorted = [...cleanScores].sort((a, b) => b - a);
  const allowed = Math.floor(sorted.length * rate);
  return Math.min(0.9999, Math.max(0.5, (sorted[allowed] ?? 0) + 1e-6));
}

export interface Judged {
  tools: number;
  poisoned: number;
  caught: number;
  clean: number;
  falseAlarms: number;
  perFamily: Record<string, { total: number; caught: number }>;
  misses: string[];
  alarms: string[];
}

export function noneJudged(): Judged {
  return { tools: 0, poisoned: 0, caught: 0, clean: 0, falseAlarms: 0, perFamily: {}, misses: [], alarms: [] };
}

/** Adds one judgement (a fold's, a half's) to a running total. */
export function addUp(total: Judged, j: Judged): void {
  total.tools += j.tools;
  total.poisoned += j.poisoned;
  total.caught += j.caught;
  total.clean += j.clean;
  total.falseAlarms += j.falseAlarms;
  total.misses.push(...j.misses);
  total.alarms.push(...j.alarms);
  for (const [family, f] of Object.entries(j.perFamily)) {
    const sum = (total.perFamily[family] ??= { total: 0, caught: 0 });
    sum.total += f.total;
    sum.caught += f.caught;
  }
}

/**
 * Tools read as one installation, as a review reads a server among the others configured beside it: whether
 * a tool's description names a tool of another server of `installation` (the review's shadowing check) in
 * a sentence the classifier does not read as ordinary. The names were written by no one measuring, and the
 * classifier measured is one trained without what it is tested on.
 */
export function namesOthers(installation: readonly LabelledTool[]): Also {
  const listed = installation.map((t) => ({ server: t.server, name: t.tool.name }));
  const others = new Map<string, Map<string, string>>();
  return (t, model) => {
    const mine = others.get(t.server) ?? others.set(t.server, otherServersTools(t.server, listed)).get(t.server)!;
    return flagged(scanShadowing(t.tool, mine, { learned: model }));
  };
}

/** Another check that flags a tool, confirmed by the classifier being measured (the shipped one when none is given; none when false). */
export type Also = (t: LabelledTool, model?: Classifier | false) => boolean;

/**
 * Judges tools by the decoders and the classifier at a threshold (and, with `rules`, the patterns too).
 * `also`: another check that flags a tool (the names of an installation's other tools, `namesOthers`).
 */
export function judge(model: Classifier, threshold: number, tools: LabelledTool[], rules = false, also?: Also): Judged {
  const out: Judged = { ...noneJudged(), tools: tools.length };
  for (const t of tools) {
    const { score, best } = toolScore(model, t);
    const hit = decodersFlag(t) || score >= threshold || (rules && flagged(scanDefinition(t.tool, { learned: false }))) || (also?.(t, model) ?? false);
    if (t.label === 'poisoned') {
      out.poisoned++;
      const f = (out.perFamily[t.family] ??= { total: 0, caught: 0 });
      f.total++;
      if (hit) {
        out.caught++;
        f.caught++;
      } else out.misses.push(`${t.id} ${t.family} ${t.server}/${t.tool.name} (${score.toFixed(2)})`);
    } else {
      out.clean++;
      if (hit) {
        out.falseAlarms++;
        out.alarms.push(`${t.id} ${t.server}/${t.tool.name} (${score.toFixed(2)}): ${score >= threshold && best ? `${best.intent} "${best.unit.text.slice(0, 140)}"` : decodersFlag(t) ? 'decoders' : 'names another server\'s tool'}`);
      }
    }
  }
  return out;
}
