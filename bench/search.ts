// Tool-search quality and speed.
//   npm run bench:search [-- --catalog <catalog.json> --queries <queries.jsonl>] [--engines a,b] [--json] [--misses]
//       quality of each engine side by side (default: gatehouse, gatehouse-keywords, lunr)
//   npm run bench:search -- --tune
//       recall@5 and hit@5 of the hybrid search over a grid of fusion weights
//   npm run bench:search -- --scale 10000 [--step-queries <queries.jsonl>] [--json]
//       latency and memory at 10,000 tools, and the cost of embedding them all in the background
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SemanticSearch, ToolSearch } from '../src-main/core/search/index.js';
import type { ToolDefinition } from '../src-shared/catalog.js';
import { toolId } from '../src-shared/ids.js';
import { buildEngine, embedded, hybridSearch, type Engine } from './engines.js';
import { readCatalog, readQueries, type BenchCatalog, type BenchQuery } from './search-data.js';
import { flag, option, percentile, report, round } from './stats.js';

async function quality(name: string, catalog: BenchCatalog, queries: BenchQuery[]) {
  const setupStart = performance.now();
  const engine: Engine = await buildEngine(name, catalog);
  const setupMs = performance.now() - setupStart;
  const { figures, misses } = await measure(engine, queries);
  await engine.close?.();
  return { figures: { engine: name, tools: catalog.servers.reduce((sum, s) => sum + s.tools.length, 0), ...figures, setup_ms: round(setupMs, 0) }, misses };
}

async function measure(engine: Engine, queries: BenchQuery[]) {
  let r1 = 0;
  let r5 = 0;
  let r10 = 0;
  let hit5 = 0;
  let mrr = 0;
  const times: number[] = [];
  const misses: string[] = [];
  for (const q of queries) {
    const start = performance.now();
    const hits = await engine.search(q.query, 10);
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
      queries: n,
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

async function timeQueries(search: ToolSearch, queries: string[], rounds: number): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const start = performance.now();
      await search.search(q, 10);
      times.push(performance.now() - start);
    }
  }
  return times.sort((a, b) => a - b);
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

/**
 * `tasks` are whole-task queries (LiveMCPBench: a sentence or three, split into clauses, each embedded);
 * `steps` are the few words an agent told to search per step sends (our agent-style set).
 */
async function scale(count: number, base: BenchCatalog, tasks: string[], steps: string[]) {
  const queries = [...tasks, ...steps];
  const catalog = scaled(base, count);
  // Keywords alone: build time, heap held by the index, query latency.
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const keywords = new ToolSearch();
  for (const s of catalog.servers) keywords.setServer(s.name, s.tools, s.description);
  const buildMs = performance.now() - started;
  global.gc?.();
  const keywordMb = mb(process.memoryUsage().heapUsed - heapBefore);
  await timeQueries(keywords, queries, 1);
  const keywordTimes = await timeQueries(keywords, queries, 20);
  const one = catalog.servers[0];
  const updateStart = performance.now();
  keywords.setServer(one.name, one.tools);
  const updateMs = performance.now() - updateStart;

  // Hybrid: the model loads in its worker and embeds every tool in the background, while queries run.
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-'));
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const semantic = new SemanticSearch({ stateDir, timeoutMs: 60_000 });
  const hybrid = new ToolSearch(semantic);
  for (const s of catalog.servers) hybrid.setServer(s.name, s.tools, s.description);
  const loadStart = performance.now();
  semantic.start();
  await new Promise<void>((resolve, reject) => {
    const off = semantic.onStatus((s) => {
      if (s.state === 'ready') resolve();
      if (s.state === 'unavailable') reject(new Error(s.reason));
      if (s.state !== 'starting') off();
    });
  });
  const loadMs = performance.now() - loadStart;
  const embedStart = performance.now();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const during: number[] = [];
  let done = false;
  const finished = embedded(semantic).then(() => (done = true));
  while (!done) {
    for (const q of steps) {
      const start = performance.now();
      await hybrid.search(q, 10);
      during.push(performance.now() - start);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await finished;
  loop.disable();
  const embedMs = performance.now() - embedStart;
  during.sort((a, b) => a - b);
  global.gc?.();
  const rssAdded = process.memoryUsage().rss - rssBefore;
  await timeQueries(hybrid, queries, 1);
  const taskTimes = await timeQueries(hybrid, tasks, 10);
  const stepTimes = await timeQueries(hybrid, steps, 10);
  await semantic.close();

  // A restart: every vector comes from the cache.
  const again = new SemanticSearch({ stateDir, timeoutMs: 60_000 });
  const restarted = new ToolSearch(again);
  for (const s of catalog.servers) restarted.setServer(s.name, s.tools, s.description);
  const restartStart = performance.now();
  again.start();
  await embedded(again);
  const restartMs = performance.now() - restartStart;
  await again.close();
  rmSync(stateDir, { recursive: true, force: true });

  return {
    tools: keywords.size,
    keyword_build_ms: round(buildMs, 1),
    keyword_update_one_server_ms: round(updateMs, 2),
    keyword_index_mb: keywordMb,
    keyword_p50_ms: round(percentile(keywordTimes, 50)),
    keyword_p99_ms: round(percentile(keywordTimes, 99)),
    model_load_ms: round(loadMs, 0),
    embed_all_s: round(embedMs / 1000, 1),
    embed_tools_per_s: round(count / (embedMs / 1000), 1),
    step_query_p50_ms_while_embedding: round(percentile(during, 50)),
    step_query_p99_ms_while_embedding: round(percentile(during, 99)),
    event_loop_delay_p99_ms_while_embedding: round(loop.percentile(99) / 1e6, 2),
    model_and_vectors_rss_mb: mb(rssAdded),
    hybrid_step_queries: stepTimes.length,
    hybrid_step_p50_ms: round(percentile(stepTimes, 50)),
    hybrid_step_p99_ms: round(percentile(stepTimes, 99)),
    hybrid_task_queries: taskTimes.length,
    hybrid_task_p50_ms: round(percentile(taskTimes, 50)),
    hybrid_task_p99_ms: round(percentile(taskTimes, 99)),
    restart_all_vectors_from_cache_ms: round(restartMs, 0),
  };
}

const DEFAULT_CATALOG = '../shared/bench/livemcpbench/catalog.json';
const DEFAULT_QUERIES = '../shared/bench/livemcpbench/dev.queries.jsonl';
const catalogFile = option('catalog') ?? DEFAULT_CATALOG;
const queriesFile = option('queries') ?? DEFAULT_QUERIES;
/** recall@5 and hit@5 of the hybrid search over a grid of fusion weights (the defaults were chosen so). */
async function tune(catalog: BenchCatalog, queries: BenchQuery[]) {
  const { search, close } = await hybridSearch(catalog);
  const engine: Engine = { search: async (q, k) => (await search.search(q, k)).map((h) => h.id) };
  process.stdout.write('meaning  clause  recall@5  hit@5\n');
  for (const meaning of [0.3, 0.5, 0.6, 0.7, 0.8, 0.9]) {
    for (const clause of [0, 0.3, 0.6, 1]) {
      search.weights.meaning = meaning;
      search.weights.clause = clause;
      const { figures } = await measure(engine, queries);
      process.stdout.write(`${String(meaning).padEnd(9)}${String(clause).padEnd(8)}${String(figures.recall_at_5).padEnd(10)}${figures.hit_at_5}\n`);
    }
  }
  await close();
}

const scaleTo = option('scale');
const catalog = readCatalog(catalogFile);
const queries = readQueries(queriesFile);
if (flag('tune')) {
  await tune(catalog, queries);
} else if (scaleTo) {
  const steps = readQueries(option('step-queries') ?? 'bench/data/agent-queries.jsonl').map((q) => q.query);
  report(await scale(Number(scaleTo), catalog, queries.map((q) => q.query), steps), flag('json'), `Search at scale (catalog derived from ${catalogFile})`);
} else {
  const engines = (option('engines') ?? option('engine') ?? 'gatehouse,gatehouse-keywords,lunr').split(',');
  for (const name of engines) {
    const { figures, misses } = await quality(name, catalog, queries);
    report(figures, flag('json'), `Search quality: ${catalogFile} × ${queriesFile}`);
    if (flag('misses') && !flag('json')) process.stdout.write(`  no relevant tool in the top 5: ${misses.join(', ')}\n`);
  }
}
