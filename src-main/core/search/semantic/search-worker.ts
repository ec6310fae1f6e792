// The search worker: holds the model and every tool's vector, embeds new tools one at a time (so a query
// waits for one tool's run at most), and answers queries with the closest tools. Off the main thread
// because a model run blocks the thread it runs on.
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import usearch, { type Matches } from 'usearch';
import { Embedder } from './embedder.js';
import { MODEL } from './model.js';
import type { FromWorker, Nearest, ToolText, ToWorker, WorkerSetup } from './protocol.js';
import { VectorCache, vectorKey } from './vector-cache.js';

/** Tools per model run. One is fastest on a CPU (no padding) and keeps a query's wait shortest. */
const BATCH = 1;

interface Entry extends ToolText {
  key: string;
}

const setup = workerData as WorkerSetup;
const port = parentPort!;
const send = (message: FromWorker) => port.postMessage(message);
const servers = new Map<string, Entry[]>();
/** The tools that have each text (tools of several servers can share one). */
const holders = new Map<string, string[]>();
/** Tools waiting for a vector; an entry whose text got one meanwhile, or that left, is skipped. */
const queue: Entry[] = [];
let head = 0;
let total = 0;
let embedded = 0;
let embeddedSincePrune = false;
let embedder: Embedder | undefined;
let cache: VectorCache | undefined;
let working = false;
/** Queries being answered: background embedding waits for them. */
let querying = 0;
/** The vectors queries search: rebuilt when servers change, grown in place as tools get their vectors. */
let rows: Rows | undefined;

interface Rows {
  ids: string[];
  /** Row-major, with room to grow; the first ids.length rows are live. */
  matrix: Float32Array;
}
const early: Exclude<ToWorker, { kind: 'close' }>[] = [];

port.on('message', (message: ToWorker) => {
  if (message.kind === 'close') void close();
  else if (!embedder) early.push(message);
  else handle(message);
});

let closing = false;

/** Ends the worker once the model has loaded (or failed to) and no run is under way. */
async function close(): Promise<void> {
  closing = true;
  if (!loaded || working) return;
  await embedder?.close().catch(() => undefined);
  process.exit(0);
}

let loaded = false;
try {
  const started = performance.now();
  embedder = await Embedder.load(setup.modelDir, setup.threads);
  cache = new VectorCache(setup.cacheFile, embedder.dims);
  cache.load();
  send({ kind: 'ready', loadMs: Math.round(performance.now() - started), dims: embedder.dims });
  for (const message of early.splice(0)) handle(message);
  progress();
  work();
} catch (err) {
  send({ kind: 'failed', reason: `the search model in ${path.basename(setup.modelDir)} could not be loaded: ${(err as Error).message}` });
}
loaded = true;
if (closing) void close();

function handle(message: Exclude<ToWorker, { kind: 'close' }>): void {
  if (message.kind === 'query' || message.kind === 'embed') return void answer(message.ask, message.texts, message.kind === 'query' ? message.limit : undefined);
  const before = servers.get(message.server);
  if (before) count(before, -1);
  if (message.kind === 'set') {
    const entries = message.tools.map((t) => ({ ...t, key: vectorKey(`${MODEL.id}\n${t.text}`) }));
    servers.set(message.server, entries);
    count(entries, 1);
    queue.push(...entries.filter((e) => !cache!.get(e.key)));
  } else {
    servers.delete(message.server);
  }
  rows = undefined;
  progress();
  work();
}

function count(entries: Entry[], sign: 1 | -1): void {
  for (const e of entries) {
    const ids = holders.get(e.key) ?? [];
    if (sign > 0) ids.push(e.id);
    else ids.splice(ids.indexOf(e.id), 1);
    if (ids.length) holders.set(e.key, ids);
    else holders.delete(e.key);
    total += sign;
    if (cache!.get(e.key)) embedded += sign;
  }
}

/**
 * `texts` is the whole query, then its clauses (if any): one vector and one nearest list each. Without
 * a limit, the vectors themselves are the answer.
 */
async function answer(ask: number, texts: string[], limit: number | undefined): Promise<void> {
  querying++;
  try {
    // One run per text: a padded batch would cost every text the longest one's length.
    const vectors: Float32Array[] = [];
    for (const text of texts) vectors.push(...(await embedder!.embed([text])));
    // A text whose words the model does not know is near no tool in meaning, whatever its nearest are.
    const read = texts.map((t) => embedder!.readsAWord(t));
    send(limit === undefined ? { kind: 'answer', ask, vectors } : { kind: 'answer', ask, nearest: nearest(vectors, limit).map((n, i) => (read[i] ? n : { ids: [], scores: [], floor: 0 })) });
  } catch (err) {
    send({ kind: 'answer', ask, error: (err as Error).message });
  } finally {
    if (--querying === 0) work();
  }
}

/** The `limit` most similar tools to each query vector (exact inner product, SIMD, on every core: ~2 ms at 10,000 tools). */
function nearest(queries: Float32Array[], limit: number): Nearest[] {
  rows ??= buildRows();
  const ids = rows.ids;
  const matrix = rows.matrix.subarray(0, ids.length * embedder!.dims);
  if (ids.length === 0) return queries.map(() => ({ ids: [], scores: [], floor: 0 }));
  const dims = embedder!.dims;
  const joined = new Float32Array(queries.length * dims);
  queries.forEach((q, i) => joined.set(q, i * dims));
  const count = Math.min(limit, ids.length);
  const found = usearch.exactSearch(matrix, joined, dims, count, usearch.MetricKind.IP, 0);
  const each: Matches[] = found instanceof usearch.BatchMatches ? queries.map((_, i) => found.get(i)) : [found];
  return each.map((m) => {
    const scores = [...m.distances].map((distance) => 1 - distance);
    return { ids: [...m.keys].map((k) => ids[Number(k)]), scores, floor: scores.length ? scores[scores.length - 1] : 0 };
  });
}

function buildRows(): Rows {
  const built: Rows = { ids: [], matrix: new Float32Array(0) };
  for (const key of holders.keys()) addRows(built, key);
  return built;
}

/** Appends a row for each tool with this text, once the text has its vector. */
function addRows(to: Rows, key: string): void {
  const vector = cache!.get(key);
  if (!vector) return;
  const dims = vector.length;
  for (const id of holders.get(key) ?? []) {
    if ((to.ids.length + 1) * dims > to.matrix.length) {
      const grown = new Float32Array(Math.max(64, to.ids.length * 2) * dims);
      grown.set(to.matrix);
      to.matrix = grown;
    }
    to.matrix.set(vector, to.ids.length * dims);
    to.ids.push(id);
  }
}

function progress(): void {
  send({ kind: 'progress', embedded, total });
}

/** Embeds tools without a vector, a batch at a time, yielding between batches and pausing while queries run. */
function work(): void {
  if (closing) return void close();
  if (working || querying) return;
  const batch: Entry[] = [];
  const keys = new Set<string>();
  while (batch.length < BATCH && head < queue.length) {
    const e = queue[head++];
    if (cache!.get(e.key) || !holders.has(e.key) || keys.has(e.key)) continue;
    keys.add(e.key);
    batch.push(e);
  }
  if (head > 1024 && head * 2 > queue.length) {
    queue.splice(0, head);
    head = 0;
  }
  if (!batch.length) {
    if (embeddedSincePrune) cache!.prune(new Set(holders.keys()));
    embeddedSincePrune = false;
    return;
  }
  working = true;
  void embedder!
    .embed(batch.map((e) => e.text))
    .then(
      (vectors) => cache!.add(batch.map((e, i) => [e.key, vectors[i]])),
      // A text the model cannot take is left out of search by meaning; keywords still find it.
      () => cache!.add(batch.map((e) => [e.key, new Float32Array(embedder!.dims)])),
    )
    .then(() => {
      for (const e of batch) embedded += holders.get(e.key)?.length ?? 0;
      if (rows) for (const e of batch) addRows(rows, e.key);
      embeddedSincePrune = true;
      working = false;
      progress();
      setImmediate(work);
    });
}
