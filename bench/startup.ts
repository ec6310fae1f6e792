// Time from launching `gatehouse serve` to the first search_tools answer, with 50 configured servers and
// 5,000 cached tools, and how many upstream processes were started meanwhile (a warm cache should start none).
//   npm run bench:startup [-- --json] [--servers N] [--tools-per-server N]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { flag, option, report, round } from './stats.js';
import { CatalogCache } from '../src-main/core/catalog/index.js';
import { hashTool, PIN_SCHEME, primeToolHash, TrustSeal } from '../src-main/core/security/index.js';
import { approveAll } from './approve.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'gatehouse.cjs');
const SERVERS = Number(option('servers') ?? 50);
const TOOLS = Number(option('tools-per-server') ?? 100);
const RUNS = Number(option('runs') ?? 5);

const VERBS = ['get', 'list', 'create', 'update', 'delete', 'search', 'read', 'write', 'send', 'fetch'];
const NOUNS = ['issue', 'file', 'message', 'calendar event', 'invoice', 'user', 'repository', 'ticket', 'document', 'image'];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A home with N servers whose command would leave a marker file if it were ever started, and a warm cache. */
async function makeHome(): Promise<{ home: string; markers: string }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-startup-'));
  const markers = path.join(home, 'spawned');
  mkdirSync(markers);
  const cache = path.join(home, 'state', 'tool-cache');
  mkdirSync(cache, { recursive: true });
  // Sealed with the home's own key, as Gatehouse seals what it saves.
  const seal = new TrustSeal(path.join(home, 'state', 'trust-key'), undefined, home);
  await seal.open();
  const toolCache = new CatalogCache(cache, { scheme: PIN_SCHEME, hash: hashTool, prime: primeToolHash, seal: () => seal });
  const mcpServers: Record<string, unknown> = {};
  for (let s = 0; s < SERVERS; s++) {
    const name = `server-${s}`;
    mcpServers[name] = {
      command: process.execPath,
      args: ['-e', `require('fs').writeFileSync(${JSON.stringify(path.join(markers, name))}, '')`],
    };
    const tools = Array.from({ length: TOOLS }, (_, t) => {
      const verb = VERBS[t % VERBS.length];
      const noun = NOUNS[(t + s) % NOUNS.length];
      return {
        name: `${verb}_${noun.replace(' ', '_')}_${t}`,
        description: `${verb[0].toUpperCase()}${verb.slice(1)} a ${noun} in service ${s}. Returns the ${noun} as JSON with its id, title and timestamps.`,
        inputSchema: { type: 'object', properties: { id: { type: 'string', description: `The ${noun} id` }, limit: { type: 'integer' } }, required: ['id'] },
      };
    });
    // Saved the way Gatehouse saves a fresh listing (with the tools' pin hashes, sealed).
    await toolCache.save({ server: name, tools, prompts: [], resources: [], resourceTemplates: [], fetchedAt: Date.now() });
  }
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ mcpServers }));
  // Approved (the cached tools pinned) before the first launch, as a person would have.
  await approveAll(home);
  return { home, markers };
}

async function once(home: string): Promise<{ ready: number; hits: number }> {
  const port = await freePort();
  const url = new URL(`http://127.0.0.1:${port}/mcp`);
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--log-level', 'error'], {
    env: { ...process.env, GATEHOUSE_HOME: home, GATEHOUSE_TOKEN: 'bench' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      const client = new Client({ name: 'bench', version: '1' });
      try {
        await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: 'Bearer bench' } } }));
      } catch {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const result = await client.callTool({ name: 'search_tools', arguments: { query: 'create a calendar event' } });
      const ready = performance.now() - started;
      const hits = JSON.parse((result.content as { text: string }[])[0].text).results.length;
      await client.close();
      return { ready, hits };
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main() {
  const { home, markers } = await makeHome();
  if (flag("keep")) process.stdout.write(`home: ${home}\n`);
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await once(home);
    times.push(r.ready);
    hits = r.hits;
  }
  const spawned = readdirSync(markers).length;
  if (!flag('keep')) rmSync(home, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  report(
    {
      servers: SERVERS,
      cached_tools: SERVERS * TOOLS,
      runs: RUNS,
      ready_ms: round(times[Math.floor(times.length / 2)], 1),
      ready_min_ms: round(times[0], 1),
      ready_max_ms: round(times[times.length - 1], 1),
      search_results: hits,
      spawned,
    },
    flag('json'),
    'Launch to first search_tools answer (median of runs)',
  );
}

void main();
