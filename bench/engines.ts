// The search engines compared in docs/search.md: Gatehouse's own (hybrid, as `serve` runs it, and keywords
// alone), lunr with default settings and MiniSearch with its defaults (plus fuzzy/prefix) — for the last
// two, each tool is one document made of its split name, description, parameter names and descriptions,
// and server name.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lunr from 'lunr';
import MiniSearch from 'minisearch';
import { SemanticSearch, ToolSearch } from '../src-main/core/search/index.js';
import type { ToolDefinition } from '../src-shared/catalog.js';
import { toolId } from '../src-shared/ids.js';
import type { BenchCatalog } from './search-data.js';

export interface Engine {
  search(query: string, limit: number): string[] | Promise<string[]>;
  close?(): Promise<void>;
}

export const ENGINES = ['gatehouse', 'gatehouse-keywords', 'lunr', 'minisearch'];

/**
 * Gatehouse's search with the model running in its worker, as `serve` runs it, once every tool has its
 * vector (in a fresh vector cache unless `stateDir` is given).
 */
export async function hybridSearch(catalog: BenchCatalog, stateDir?: string): Promise<{ search: ToolSearch; semantic: SemanticSearch; close(): Promise<void> }> {
  const dir = stateDir ?? mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-'));
  const semantic = new SemanticSearch({ stateDir: dir, timeoutMs: 60_000 });
  const search = new ToolSearch(semantic);
  for (const s of catalog.servers) search.setServer(s.name, s.tools, s.description);
  semantic.start();
  await embedded(semantic);
  return {
    search,
    semantic,
    close: async () => {
      await semantic.close();
      if (!stateDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when every tool has a vector; fails when the model cannot run. */
export function embedded(semantic: SemanticSearch): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = semantic.status();
      if (s.state === 'unavailable') reject(new Error(`search by meaning is unavailable: ${s.reason}`));
      else if (s.state === 'ready' && s.total > 0 && s.embedded === s.total) resolve();
      else setTimeout(check, 50);
    };
    check();
  });
}

function documents(catalog: BenchCatalog) {
  const split = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' ');
  return catalog.servers.flatMap((s) =>
    s.tools.map((t: ToolDefinition) => ({
      id: toolId(s.name, t.name),
      name: split(t.name),
      description: t.description ?? '',
      params: Object.entries(t.inputSchema?.properties ?? {})
        .map(([k, v]) => `${split(k)} ${(v as { description?: string })?.description ?? ''}`)
        .join(' '),
      server: split(s.name),
    })),
  );
}

export async function buildEngine(name: string, catalog: BenchCatalog): Promise<Engine> {
  if (name === 'gatehouse') {
    const { search, close } = await hybridSearch(catalog);
    return { search: async (q, k) => (await search.search(q, k)).map((h) => h.id), close };
  }
  if (name === 'gatehouse-keywords') {
    const search = new ToolSearch();
    for (const s of catalog.servers) search.setServer(s.name, s.tools, s.description);
    return { search: async (q, k) => (await search.search(q, k)).map((h) => h.id) };
  }
  const docs = documents(catalog);
  if (name === 'lunr') {
    const idx = lunr(function () {
      this.ref('id');
      for (const f of ['name', 'description', 'params', 'server']) this.field(f);
      for (const d of docs) this.add(d);
    });
    // lunr's query syntax treats some characters as operators; search the words.
    return { search: (q, k) => idx.search(q.replace(/[:~^+\-*]/g, ' ')).slice(0, k).map((r) => r.ref) };
  }
  if (name === 'minisearch') {
    const ms = new MiniSearch({ fields: ['name', 'description', 'params', 'server'], storeFields: [] });
    ms.addAll(docs);
    return { search: (q, k) => ms.search(q, { prefix: true, fuzzy: 0.2 }).slice(0, k).map((r) => String(r.id)) };
  }
  throw new Error(`unknown engine "${name}": ${ENGINES.join(', ')}`);
}
