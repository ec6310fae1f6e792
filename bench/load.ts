// Load through the gateway: 100 client sessions at once over Streamable HTTP, 50,000 tool calls in all,
// against `gatehouse serve` with server-everything upstream. Prints calls, errors, calls/s, p50/p99 and the
// serve process's resident memory after warm-up and at the end.
//   npm run bench:load [-- --json] [--sessions N] [--calls N]
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { approveAll } from './approve.js';
import { flag, option, percentile, report, round } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'gatehouse.cjs');
const EVERYTHING = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const SESSIONS = Number(option('sessions') ?? 100);
const CALLS = Number(option('calls') ?? 50_000);
// Enough for the server's heap to reach its working size (it grows over the first few thousand calls, then only cycles).
const WARMUP_PER_SESSION = 50;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process, from /proc (Linux). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.replace(/\D+/g, '')) / 1024 : NaN;
}

async function main() {
  setMaxListeners(0);
  const home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-load-'));
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ mode: 'direct', mcpServers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } } }));
  await approveAll(home);
  const port = await freePort();
  const serve = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--log-level', 'error'], {
    env: { ...process.env, GATEHOUSE_HOME: home, GATEHOUSE_TOKEN: 'load-token' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => serve.stdout!.on('data', (d: Buffer) => d.toString().includes('Gatehouse is running') && resolve()));
  const url = new URL(`http://127.0.0.1:${port}/mcp`);
  const clients = await Promise.all(
    Array.from({ length: SESSIONS }, async () => {
      const client = new Client({ name: 'load', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: 'Bearer load-token' } } }));
      return client;
    }),
  );
  const call = (client: Client, i: number) => client.callTool({ name: 'everything__echo', arguments: { message: `call ${i}` } });
  await Promise.all(clients.map(async (c) => { for (let i = 0; i < WARMUP_PER_SESSION; i++) await call(c, i); }));
  const rssStart = rssMb(serve.pid!);

  const samples: number[] = [];
  const rssByTenth: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (next < CALLS) {
        const i = next++;
        const t = performance.now();
        try {
          const result = await call(client, i);
          if (result.isError) errors++;
        } catch {
          errors++;
        }
        samples.push(performance.now() - t);
        if (samples.length % Math.ceil(CALLS / 10) === 0) rssByTenth.push(round(rssMb(serve.pid!), 0));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const rssEnd = rssMb(serve.pid!);
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  serve.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
  samples.sort((a, b) => a - b);
  report(
    {
      sessions: SESSIONS,
      calls: samples.length,
      errors,
      calls_per_s: round(samples.length / seconds, 0),
      p50_ms: round(percentile(samples, 50), 2),
      p99_ms: round(percentile(samples, 99), 2),
      rss_start_mb: round(rssStart, 1),
      rss_end_mb: round(rssEnd, 1),
      rss_growth_pct: round(((rssEnd - rssStart) / rssStart) * 100, 1),
      rss_mb_each_tenth: rssByTenth.join(' '),
    },
    flag('json'),
    `${SESSIONS} sessions calling everything__echo through gatehouse serve (Streamable HTTP), ${CALLS} calls; rss after ${WARMUP_PER_SESSION} warm-up calls per session and at the end`,
  );
  process.exit(0);
}

void main();
