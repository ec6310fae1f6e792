// Reads benchmark files in the format of shared/bench/README.md: a catalog (JSON) and queries (JSONL).
import { readFileSync } from 'node:fs';
import type { ToolDefinition } from '../src-shared/catalog.js';

export interface BenchCatalog {
  servers: { name: string; description?: string; tools: ToolDefinition[] }[];
}

export interface BenchQuery {
  id: string;
  query: string;
  relevant: { server: string; tool: string }[];
}

export function readCatalog(file: string): BenchCatalog {
  const catalog = JSON.parse(readFileSync(file, 'utf8')) as BenchCatalog;
  if (!Array.isArray(catalog.servers)) throw new Error(`${file}: expected {"servers": [...]}`);
  return catalog;
}

export function readQueries(file: string): BenchQuery[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const q = JSON.parse(l) as BenchQuery;
      if (typeof q.query !== 'string' || !Array.isArray(q.relevant)) throw new Error(`${file}:${i + 1}: expected {"id","query","relevant":[{"server","tool"}]}`);
      return q;
    });
}
