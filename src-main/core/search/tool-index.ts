// A BM25 index over tools, with fields weighted (name above description above parameters), updated
// per server so a change to one server never rebuilds the rest.
import type { ToolDefinition } from '../../../src-shared/catalog.js';
import { toolId } from '../../../src-shared/ids.js';
import { tokenize } from './tokenize.js';

const FIELD_WEIGHTS = { name: 3, description: 1, params: 0.6, server: 0.5 } as const;
const K1 = 1.2;
const B = 0.75;

interface Doc {
  id: string;
  server: string;
  tool: ToolDefinition;
  /** term → weighted frequency */
  tf: Map<string, number>;
  length: number;
}

export interface SearchHit {
  id: string;
  server: string;
  tool: ToolDefinition;
  score: number;
}

export class ToolIndex {
  private readonly docs = new Map<string, Doc>();
  private readonly byServer = new Map<string, Set<string>>();
  /** term → ids of docs containing it */
  private readonly postings = new Map<string, Set<string>>();
  private totalLength = 0;

  get size(): number {
    return this.docs.size;
  }

  /** Replaces everything indexed for `server` with `tools`. */
  setServer(server: string, tools: ToolDefinition[], serverDescription?: string): void {
    this.removeServer(server);
    const ids = new Set<string>();
    for (const tool of tools) {
      const doc = makeDoc(server, tool, serverDescription);
      this.docs.set(doc.id, doc);
      ids.add(doc.id);
      this.totalLength += doc.length;
      for (const term of doc.tf.keys()) {
        let set = this.postings.get(term);
        if (!set) this.postings.set(term, (set = new Set()));
        set.add(doc.id);
      }
    }
    this.byServer.set(server, ids);
  }

  removeServer(server: string): void {
    const ids = this.byServer.get(server);
    if (!ids) return;
    for (const id of ids) {
      const doc = this.docs.get(id);
      if (!doc) continue;
      this.totalLength -= doc.length;
      for (const term of doc.tf.keys()) {
        const set = this.postings.get(term);
        set?.delete(id);
        if (set && set.size === 0) this.postings.delete(term);
      }
      this.docs.delete(id);
    }
    this.byServer.delete(server);
  }

  search(query: string, limit = 10): SearchHit[] {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0 || this.docs.size === 0) return [];
    const n = this.docs.size;
    const avg = this.totalLength / n || 1;
    const scores = new Map<string, number>();
    for (const term of terms) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const idf = Math.log(1 + (n - posting.size + 0.5) / (posting.size + 0.5));
      for (const id of posting) {
        const doc = this.docs.get(id)!;
        const f = doc.tf.get(term)!;
        const s = (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * doc.length) / avg));
        scores.set(id, (scores.get(id) ?? 0) + s);
      }
    }
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, limit)
      .map(([id, score]) => {
        const doc = this.docs.get(id)!;
        return { id, server: doc.server, tool: doc.tool, score: Math.round(score * 1000) / 1000 };
      });
  }
}

function makeDoc(server: string, tool: ToolDefinition, serverDescription?: string): Doc {
  const tf = new Map<string, number>();
  let length = 0;
  const add = (text: string | undefined, weight: number) => {
    for (const term of tokenize(text)) {
      tf.set(term, (tf.get(term) ?? 0) + weight);
      length += weight;
    }
  };
  add(tool.name, FIELD_WEIGHTS.name);
  add(tool.title, FIELD_WEIGHTS.name);
  add(tool.description, FIELD_WEIGHTS.description);
  for (const [param, schema] of Object.entries(tool.inputSchema?.properties ?? {})) {
    add(param, FIELD_WEIGHTS.params);
    add((schema as { description?: string })?.description, FIELD_WEIGHTS.params);
  }
  add(server, FIELD_WEIGHTS.server);
  add(serverDescription, FIELD_WEIGHTS.server * 0.5);
  return { id: toolId(server, tool.name), server, tool, tf, length };
}
