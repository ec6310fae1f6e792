// How much latency the gateway adds to a tools/call: the same upstream (server-everything over stdio)
// called directly and through Gatehouse, in one run. Prints p50/p99 for each and the difference.
//   npm run bench:overhead [-- --json] [--calls N]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { flag, option, percentile, report, round } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'gatehouse.js');
const EVERYTHING = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const CALLS = Number(option('calls') ?? 2000);
const WARMUP = 200;

async function time(client: Client, name: string, args: Record<string, unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await client.callTool({ name, arguments: args });
  const samples: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const start = process.hrtime.bigint();
    await client.callTool({ name, arguments: args });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples.sort((a, b) => a - b);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function main() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-'));
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ mode: 'direct', mcpServers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } } }));
  const env = { ...process.env, GATEHOUSE_HOME: home, GATEHOUSE_TOKEN: 'bench-token' } as Record<string, string>;
  const args = { message: 'hello' };

  // 1. Directly to the upstream.
  const direct = new Client({ name: 'bench', version: '1' });
  await direct.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'], stderr: 'ignore' }));
  const directSamples = await time(direct, 'echo', args);
  await direct.close();

  // 2. Through `gatehouse serve` over Streamable HTTP.
  const port = await freePort();
  const serve = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--log-level', 'error'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => serve.stdout!.on('data', (d: Buffer) => d.toString().includes('Gatehouse is running') && resolve()));
  const viaHttp = new Client({ name: 'bench', version: '1' });
  await viaHttp.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), { requestInit: { headers: { Authorization: 'Bearer bench-token' } } }));
  const httpSamples = await time(viaHttp, 'everything__echo', args);
  await viaHttp.close();
  serve.kill('SIGTERM');

  // 3. Through `gatehouse stdio`.
  const viaStdio = new Client({ name: 'bench', version: '1' });
  await viaStdio.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'stdio'], env, stderr: 'ignore' }));
  const stdioSamples = await time(viaStdio, 'everything__echo', args);
  await viaStdio.close();
  rmSync(home, { recursive: true, force: true });

  const d50 = percentile(directSamples, 50);
  const d99 = percentile(directSamples, 99);
  const figures = {
    calls: CALLS,
    direct_p50_ms: round(d50),
    direct_p99_ms: round(d99),
    gateway_p50_ms: round(percentile(httpSamples, 50)),
    gateway_p99_ms: round(percentile(httpSamples, 99)),
    added_p50_ms: round(percentile(httpSamples, 50) - d50),
    added_p99_ms: round(percentile(httpSamples, 99) - d99),
    gateway_stdio_p50_ms: round(percentile(stdioSamples, 50)),
    gateway_stdio_p99_ms: round(percentile(stdioSamples, 99)),
    added_stdio_p50_ms: round(percentile(stdioSamples, 50) - d50),
    added_stdio_p99_ms: round(percentile(stdioSamples, 99) - d99),
  };
  report(figures, flag('json'), `tools/call latency, ${CALLS} calls each (gateway_* = Streamable HTTP endpoint; gateway_stdio_* = gatehouse stdio)`);
  process.exit(0);
}

void main();
