// Search over every visible tool: keywords (BM25) at once, fused with meaning once the model is ready.
import type { ToolDefinition } from '../../../src-shared/catalog.js';
import { fuse, WEIGHTS, type FusionWeights } from './hybrid.js';
import { queryParts } from './query-parts.js';
import type { SemanticSearch, SemanticStatus } from './semantic/index.js';
import { ToolIndex, type SearchHit } from './tool-index.js';

/** How many candidates each side offers the fusion. */
const CANDIDATES = 200;

export interface SearchStatus {
  /** `hybrid` once tools are searched by meaning too; `keywords` before that, or when the model cannot run. */
  mode: 'hybrid' | 'keywords';
  tools: number;
  semantic?: SemanticStatus;
}

export class ToolSearch {
  private readonly keywords = new ToolIndex();

  constructor(
    private readonly semantic?: SemanticSearch,
    /** For the benchmark that chooses them; the product uses the defaults. */
    readonly weights: FusionWeights = { ...WEIGHTS },
  ) {}

  get size(): number {
    return this.keywords.size;
  }

  setServer(server: string, tools: ToolDefinition[], serverDescription?: string): void {
    this.keywords.setServer(server, tools, serverDescription);
    this.semantic?.setServer(server, tools);
  }

  removeServer(server: string): void {
    this.keywords.removeServer(server);
    this.semantic?.removeServer(server);
  }

  async search(query: string, limit = 10): Promise<SearchHit[]> {
    const parts = queryParts(query);
    const asked = this.semantic?.ready ? this.semantic.nearest(parts, CANDIDATES) : undefined;
    if (!asked) return this.keywords.search(query, limit);
    // Keywords are scored while the worker embeds the query.
    const keywordHits = parts.map((p) => {
      const hits = this.keywords.search(p, CANDIDATES);
      return { ids: hits.map((h) => h.id), scores: hits.map((h) => h.score) };
    });
    const nearest = await asked;
    if (!nearest) return this.keywords.search(query, limit);
    return fuse(keywordHits, nearest, limit * 2, this.weights)
      .flatMap(({ id, score }) => {
        const found = this.keywords.get(id);
        return found ? [{ ...found, score: Math.round(score * 1000) / 1000 }] : [];
      })
      .slice(0, limit);
  }

  status(): SearchStatus {
    const semantic = this.semantic?.status();
    const mode = semantic?.state === 'ready' && semantic.embedded > 0 ? 'hybrid' : 'keywords';
    return { mode, tools: this.size, ...(semantic ? { semantic } : {}) };
  }
}
