// Other search engines over the same documents, for the comparison in docs/search.md: lunr with default
// settings and MiniSearch with its defaults (plus fuzzy/prefix), each tool one document made of its split
// name, description, parameter names and descriptions, and server name.
import lunr from 'lunr';
import MiniSearch from 'minisearch';
import { ToolIndex } from '../src-main/core/search/index.js';
import type { ToolDefinition } from '../src-shared/catalog.js';
import { toolId } from '../src-shared/ids.js';
import type { BenchCatalog } from './search-data.js';

export interface Engine {
  search(query: string, limit: number): string[];
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

export function buildEngine(name: string, catalog: BenchCatalog): Engine {
  if (name === 'gatehouse') {
    const index = new ToolIndex();
    for (const s of catalog.servers) index.setServer(s.name, s.tools, s.description);
    return { search: (q, k) => index.search(q, k).map((h) => h.id) };
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
  throw new Error(`unknown engine "${name}": gatehouse, lunr or minisearch`);
}
