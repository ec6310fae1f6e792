// One training run from tool sets to a classifier: generated attacks are made from the given clean
// carriers, and labelled poisoned tools (the dev set) are learned from their most attack-like sentence
// under a first model trained without them. Its threshold comes from servers it was not trained on
// (heldOutThreshold), never from its own training tools.
import { flagged, INTENTS, scanDefinition, type Classifier } from '../../src-main/core/security/scanner/index.js';
import { generate, type LabelledTool, type Payload, type Technique } from './dataset.js';
import { DEFAULTS, labelUnits, samples, thresholdFor, toolScore, train, type TrainOptions } from './learn.js';

export interface FitInput {
  clean: LabelledTool[];
  payloads: Payload[];
  /** Labelled poisoned tools to learn from too (their sentences are not labelled). */
  poisoned?: LabelledTool[];
  techniques?: Technique[];
  perPayload?: number;
  seed?: number;
  options?: Partial<TrainOptions>;
}

export interface Fitted {
  model: Classifier;
  counts: Record<string, number>;
}

/**
 * The tools of a fit that learns from labelled records too, as the shipped classifier does: their poisoned
 * records are learned from as attacks. Their clean records are not: tools of the same servers as the tools
 * the attacks are written into, they teach those servers' way of writing as a sign of a clean tool (leaving
 * one family out, learning dev's clean records too caught 43 of 60 records, without them 49).
 */
export function withLabelled(clean: LabelledTool[], labelled: LabelledTool[]): Pick<FitInput, 'clean' | 'poisoned'> {
  return { clean, poisoned: labelled.filter((t) => t.label === 'poisoned') };
}

/** The share of clean tools of unseen servers a threshold lets through. */
export const FALSE_ALARMS = 0.01;

/** The clean tools in `k` parts by server (every k-th server, by name). */
export function serverFolds(clean: LabelledTool[], k: number): LabelledTool[][] {
  const servers = [...new Set(clean.map((t) => t.server))].sort();
  const fold = new Map(servers.map((s, i) => [s, i % k]));
  return Array.from({ length: k }, (_, i) => clean.filter((t) => fold.get(t.server) === i));
}

/**
 * The threshold at which the whole scanner flags at most `rate` of clean tools from servers its classifier
 * was not trained on: k classifiers, each trained without one part of the servers, score that part. A tool
 * the patterns (as that classifier confirms them) or the decoders flag already counts against the rate,
 * whatever the threshold, so the learned part gets only what they leave.
 */
export function heldOutThreshold(input: FitInput, rate: number, k = 4): number {
  const folds = serverFolds(input.clean, k);
  const scores = folds.flatMap((part, i) => {
    const { model } = fit({ ...input, clean: folds.filter((_, j) => j !== i).flat(), seed: (input.seed ?? 1) + i });
    return part.map((t) => (flagged(scanDefinition(t.tool, { learned: model, learnedFindings: false })) ? 1 : toolScore(model, t).score));
  });
  return thresholdFor(scores, rate);
}

export function fit(input: FitInput): Fitted {
  const generated = generate({ carriers: input.clean, payloads: input.payloads, perPayload: input.perPayload ?? 2, seed: input.seed ?? 1, techniques: input.techniques });
  const base = [...input.clean, ...generated];
  let model = train(samples(base, [], input.options?.attackWeight), input.options);
  let extra: { x: Float32Array; y: number; text: string }[] = [];
  if (input.poisoned?.length) {
    // Each labelled poisoned tool: its most attack-like sentence, with the intent the first model reads.
    extra = input.poisoned.flatMap((t) => {
      const { best } = toolScore(model, t);
      return best ? [{ x: best.x, y: INTENTS.indexOf(best.intent) + 1, text: best.unit.text }] : [];
    });
    // Labelled clean tools are plain clean sentences.
    model = train(samples(base, extra, input.options?.attackWeight), input.options);
  }
  const units = base.flatMap(labelUnits);
  return {
    model,
    counts: {
      cleanTools: input.clean.length,
      generatedAttacks: generated.length,
      labelledAttacks: input.poisoned?.length ?? 0,
      cleanSentences: units.filter((u) => u.y === 0).length,
      attackSentences: units.filter((u) => u.y > 0).length + extra.length,
      intents: INTENTS.length,
      epochs: input.options?.epochs ?? DEFAULTS.epochs,
    },
  };
}
