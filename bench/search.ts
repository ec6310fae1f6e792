// Tool-search quality and speed.
//   npm run bench:search -- --catalog <catalog.json> --queries <queries.jsonl> [--json]
//   npm run bench:search -- --scale 10000 [--json]      latency and memory at 10,000 tools
import { ToolIndex } from '../src-main/core/search/index.js';
import type { ToolDefinition } from '../src-shared/catalog.js';
import { toolId } from '../src-shared/ids.js';
import { buildEngine } from './engines.js';
import { readCatalog, readQueries, type BenchCatalog } from './search-data.js';
import { flag, option, percentile, report, round } from './stats.js';

const engineName = option('engine') ?? 'gatehouse';

function buildIndex(catalog: BenchCatalog): ToolIndex {
  const index = new ToolIndex();
  for (const s of catalog.servers) index.setServer(s.name, s.tools, s.description);
  return index;
}

function quality(catalogFile: string, queriesFile: string) {
  const catalog = readCatalog(catalogFile);
  const queries = readQueries(queriesFile);
  const engine = buildEngine(engineName, catalog);
  let r1 = 0;
  let r5 = 0;
  let r10 = 0;
  let hit5 = 0;
  let mrr = 0;
  const times: number[] = [];
  const misses: string[] = [];
  for (const q of queries) {
    const start = performance.now();
    const hits = engine.search(q.query, 10);
    times.push(performance.now() - start);
    const relevant = new Set(q.relevant.map((r) => toolId(r.server, r.tool)));
    if (relevant.size === 0) continue;
    const recallAt = (k: number) => hits.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;
    r1 += recallAt(1);
    r5 += recallAt(5);
    r10 += recallAt(10);
    const first = hits.findIndex((id) => relevant.has(id));
    if (first >= 0 && first < 5) hit5++;
    else misses.push(q.id);
    if (first >= 0) mrr += 1 / (first + 1);
  }
  const n = queries.length;
  times.sort((a, b) => a - b);
  return {
    figures: {
      engine: engineName,
      queries: n,
      tools: catalog.servers.reduce((sum, s) => sum + s.tools.length, 0),
      recall_at_1: round(r1 / n),
      recall_at_5: round(r5 / n),
      recall_at_10: round(r10 / n),
      hit_at_5: round(hit5 / n),
      mrr_at_10: round(mrr / n),
      p50_ms: round(percentile(times, 50)),
      p99_ms: round(percentile(times, 99)),
    },
    misses,
  };
}

/** A synthetic catalog of `count` tools built from a real one (names and texts varied per copy). */
function scaled(base: BenchCatalog, count: number): BenchCatalog {
  const tools = base.servers.flatMap((s) => s.tools.map((t) => ({ server: s.name, tool: t })));
  const servers = new Map<string, ToolDefinition[]>();
  for (let i = 0; i < count; i++) {
    const { server, tool } = tools[i % tools.length];
    const copy = Math.floor(i / tools.length);
    const name = `${server}-${copy}`;
    if (!servers.has(name)) servers.set(name, []);
    servers.get(name)!.push({ ...tool, name: tool.name, description: `${tool.description ?? ''} (variant ${copy})` });
  }
  return { servers: [...servers].map(([name, t]) => ({ name, tools: t })) };
}

function scale(count: number, catalogFile: string, queriesFile: string) {
  const base = readCatalog(catalogFile);
  const queries = readQueries(queriesFile).map((q) => q.query);
  const catalog = scaled(base, count);
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const index = buildIndex(catalog);
  const buildMs = performance.now() - started;
  global.gc?.();
  const indexMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  for (const q of queries) index.search(q, 10); // warm up
  const times: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const q of queries) {
      const start = performance.now();
      index.search(q, 10);
      times.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  // Incremental update: replace one server's tools.
  const one = catalog.servers[0];
  const updateStart = performance.now();
  index.setServer(one.name, one.tools);
  const updateMs = performance.now() - updateStart;
  return {
    tools: index.size,
    build_ms: round(buildMs, 1),
    update_one_server_ms: round(updateMs, 2),
    index_mb: round(indexMb, 1),
    searches: times.length,
    p50_ms: round(percentile(times, 50)),
    p99_ms: round(percentile(times, 99)),
  };
}

const DEFAULT_CATALOG = '../shared/bench/livemcpbench/catalog.json';
const DEFAULT_QUERIES = '../shared/bench/livemcpbench/dev.queries.jsonl';
const catalogFile = option('catalog') ?? DEFAULT_CATALOG;
const queriesFile = option('queries') ?? DEFAULT_QUERIES;
const scaleTo = option('scale');
if (scaleTo) {
  report(scale(Number(scaleTo), catalogFile, queriesFile), flag('json'), `Search at scale (catalog derived from ${catalogFile})`);
} else {
  const { figures, misses } = quality(catalogFile, queriesFile);
  report(figures, flag('json'), `Search quality: ${catalogFile} × ${queriesFile}`);
  if (flag('misses') && !flag('json')) process.stdout.write(`  no relevant tool in the top 5: ${misses.join(', ')}\n`);
}
