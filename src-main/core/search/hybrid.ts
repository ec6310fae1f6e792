// Keyword and meaning scores, fused. Per part of the query, each score is scaled to 0..1 (BM25 by the
// best hit, similarity between the lowest and highest candidate) and mixed by `meaning`; a tool's score
// is the whole query's mix plus `clause` times its best clause's mix, so a step's tool can rise even
// when the whole task reads like something else. Both weights were chosen on the LiveMCPBench dev queries
// (docs/search.md).
import type { Nearest } from './semantic/index.js';

export interface FusionWeights {
  /** Share of meaning (against keywords) in each part's mix. */
  meaning: number;
  /** How much a tool's best clause adds to the whole query's mix. */
  clause: number;
}

export const WEIGHTS: FusionWeights = { meaning: 0.6, clause: 0.6 };

export interface KeywordHits {
  ids: string[];
  scores: number[];
}

/** Tool ids, best first, with their fused scores. */
export function fuse(keywords: KeywordHits[], nearest: Nearest[], limit: number, weights = WEIGHTS): { id: string; score: number }[] {
  const mixes = keywords.map((k, p) => mix(k, nearest[p], weights.meaning));
  const total = new Map(mixes[0]);
  const clauseBest = new Map<string, number>();
  for (const clause of mixes.slice(1)) for (const [id, score] of clause) clauseBest.set(id, Math.max(score, clauseBest.get(id) ?? 0));
  for (const [id, best] of clauseBest) total.set(id, (total.get(id) ?? 0) + weights.clause * best);
  return [...total]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([id, score]) => ({ id, score }));
}

function mix(keywords: KeywordHits, nearest: Nearest | undefined, meaning: number): Map<string, number> {
  const scores = new Map<string, number>();
  const top = keywords.scores[0] || 1;
  keywords.ids.forEach((id, i) => scores.set(id, (1 - meaning) * (keywords.scores[i] / top)));
  if (nearest && nearest.ids.length) {
    const range = nearest.scores[0] - nearest.floor || 1;
    nearest.ids.forEach((id, i) => scores.set(id, (scores.get(id) ?? 0) + meaning * ((nearest.scores[i] - nearest.floor) / range)));
  }
  return scores;
}
