// A BM25 index over tools, with fields weighted (name above description above parameters), updated
// per server so a change to one server never rebuilds the rest.
//
// Laid out for a fast start with thousands of cached tools: documents are numbered, postings are flat
// number arrays ([doc, weight, doc, weight, …]), and removed documents are tombstones that a compaction
// sweeps out once they make up half the index.
import type { ToolDefinition } from '../../../src-shared/catalog.js';
import { toolId } from '../../../src-shared/ids.js';
import { expandQuery } from './synonyms.js';
import { tokenize } from './tokenize.js';

const FIELD_WEIGHTS = { name: 3, description: 1, params: 0.6, server: 0.5 } as const;
const K1 = 1.2;
const B = 0.75;

interface Doc {
  id: string;
  server: string;
  tool: ToolDefinition;
  length: number;
}

export interface SearchHit {
  id: string;
  server: string;
  tool: ToolDefinition;
  score: number;
}

/** Reused while building one document's term weights. */
const scratch = new Map<string, number>();

export class ToolIndex {
  private docs: (Doc | undefined)[] = [];
  private readonly byServer = new Map<string, number[]>();
  private readonly byId = new Map<string, number>();
  private postings = new Map<string, number[]>();
  private live = 0;
  private totalLength = 0;
  private scores = new Float64Array(0);

  get size(): number {
    return this.live;
  }

  /** Replaces everything indexed for `server` with `tools`. */
  setServer(server: string, tools: ToolDefinition[], serverDescription?: string): void {
    this.removeServer(server);
    const numbers: number[] = [];
    const serverTokens = tokenize(server);
    const descriptionTokens = tokenize(serverDescription);
    for (const tool of tools) {
      const n = this.docs.length;
      scratch.clear();
      let length = 0;
      const add = (tokens: string[], weight: number) => {
        for (const t of tokens) scratch.set(t, (scratch.get(t) ?? 0) + weight);
        length += tokens.length * weight;
      };
      add(tokenize(tool.name), FIELD_WEIGHTS.name);
      if (tool.title) add(tokenize(tool.title), FIELD_WEIGHTS.name);
      add(tokenize(tool.description), FIELD_WEIGHTS.description);
      const props = tool.inputSchema?.properties;
      if (props) {
        for (const [param, schema] of Object.entries(props)) {
          add(tokenize(param), FIELD_WEIGHTS.params);
          add(tokenize((schema as { description?: string } | null)?.description), FIELD_WEIGHTS.params);
        }
      }
      add(annotationWords(tool.annotations), FIELD_WEIGHTS.params);
      add(serverTokens, FIELD_WEIGHTS.server);
      add(descriptionTokens, FIELD_WEIGHTS.server * 0.5);
      for (const [term, weight] of scratch) {
        const posting = this.postings.get(term);
        if (posting) posting.push(n, weight);
        else this.postings.set(term, [n, weight]);
      }
      const id = toolId(server, tool.name);
      this.docs.push({ id, server, tool, length });
      this.byId.set(id, n);
      this.totalLength += length;
      numbers.push(n);
    }
    this.live += numbers.length;
    this.byServer.set(server, numbers);
  }

  removeServer(server: string): void {
    const numbers = this.byServer.get(server);
    if (!numbers) return;
    for (const n of numbers) {
      this.totalLength -= this.docs[n]!.length;
      this.byId.delete(this.docs[n]!.id);
      this.docs[n] = undefined;
    }
    this.live -= numbers.length;
    this.byServer.delete(server);
    if (this.docs.length - this.live > Math.max(1000, this.live)) this.compact();
  }

  /** An indexed tool by id, scored 0. */
  get(id: string): SearchHit | undefined {
    const num = this.byId.get(id);
    const doc = num === undefined ? undefined : this.docs[num];
    return doc && { id: doc.id, server: doc.server, tool: doc.tool, score: 0 };
  }

  search(query: string, limit = 10): SearchHit[] {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0 || this.live === 0) return [];
    const weighted = expandQuery(terms);
    const n = this.live;
    const avg = this.totalLength / n || 1;
    // Scores live in a reused array indexed by document number; `touched` lists the ones to read and reset.
    if (this.scores.length < this.docs.length) this.scores = new Float64Array(this.docs.length * 2);
    const scores = this.scores;
    const touched: number[] = [];
    for (const [term, weight] of weighted) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      let df = 0;
      for (let i = 0; i < posting.length; i += 2) if (this.docs[posting[i]]) df++;
      if (df === 0) continue;
      const idf = weight * Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let i = 0; i < posting.length; i += 2) {
        const num = posting[i];
        const doc = this.docs[num];
        if (!doc) continue;
        const f = posting[i + 1];
        if (scores[num] === 0) touched.push(num);
        scores[num] += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * doc.length) / avg));
      }
    }
    const top = topK(touched, scores, limit, (a, b) => this.docs[a]!.id.localeCompare(this.docs[b]!.id));
    const hits = top.map((num) => {
      const doc = this.docs[num]!;
      return { id: doc.id, server: doc.server, tool: doc.tool, score: Math.round(scores[num] * 1000) / 1000 };
    });
    for (const num of touched) scores[num] = 0;
    return hits;
  }

  /** Renumbers the live documents and drops tombstones from every posting. */
  private compact(): void {
    const renumber = new Map<number, number>();
    const docs: Doc[] = [];
    this.docs.forEach((doc, old) => {
      if (!doc) return;
      renumber.set(old, docs.length);
      docs.push(doc);
    });
    const postings = new Map<string, number[]>();
    for (const [term, posting] of this.postings) {
      const next: number[] = [];
      for (let i = 0; i < posting.length; i += 2) {
        const to = renumber.get(posting[i]);
        if (to !== undefined) next.push(to, posting[i + 1]);
      }
      if (next.length) postings.set(term, next);
    }
    for (const [server, numbers] of this.byServer) this.byServer.set(server, numbers.map((x) => renumber.get(x)!));
    for (const [id, old] of this.byId) this.byId.set(id, renumber.get(old)!);
    this.docs = docs;
    this.postings = postings;
  }
}

/** Annotations as words: the title, and hints that are set ("read only", "destructive", …). */
function annotationWords(annotations: Record<string, unknown> | undefined): string[] {
  if (!annotations) return [];
  const words: string[] = [];
  if (typeof annotations.title === 'string') words.push(...tokenize(annotations.title));
  for (const [key, value] of Object.entries(annotations)) {
    if (value === true && key.endsWith('Hint')) words.push(...tokenize(key.slice(0, -4)));
  }
  return words;
}

/** The `k` best of `items` by `score` (ties broken by `tie`), without sorting them all. */
function topK(items: number[], score: Float64Array, k: number, tie: (a: number, b: number) => number): number[] {
  const better = (a: number, b: number) => score[a] > score[b] || (score[a] === score[b] && tie(a, b) < 0);
  const best: number[] = [];
  for (const item of items) {
    if (best.length === k && !better(item, best[k - 1])) continue;
    let at = best.length === k ? k - 1 : best.length;
    if (best.length < k) best.push(item);
    while (at > 0 && better(item, best[at - 1])) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = item;
  }
  return best;
}
