// How much latency the gateway adds to a tools/call: the same upstream (server-everything over stdio)
// called directly and through Gatehouse, in one run — and, side by side, through two other proxies from
// npm that put an HTTP endpoint in front of a stdio server: mcp-proxy (Streamable HTTP) and mcp-hub (SSE),
// each against Gatehouse on the same transport.
//   npm run bench:overhead [-- --json] [--calls N]
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { flag, option, percentile, report, round } from './stats.js';
import { approveAll } from './approve.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'gatehouse.cjs');
const EVERYTHING = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const MCP_PROXY = path.join(ROOT, 'node_modules', 'mcp-proxy', 'dist', 'bin', 'mcp-proxy.mjs');
const MCP_HUB = path.join(ROOT, 'node_modules', 'mcp-hub', 'dist', 'cli.js');
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

/**
 * Waits until the running Gatehouse's search model has loaded and embedded every tool (or cannot run), so
 * the figures are of a Gatehouse at rest, not of one whose worker is still busy starting up.
 */
async function searchSettled(env: Record<string, string>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const out = await new Promise<string>((resolve) => execFile(process.execPath, [BIN, 'status', '--json'], { env }, (_err, stdout) => resolve(stdout)));
    try {
      const semantic = (JSON.parse(out) as { search?: { semantic?: { state: string; embedded: number; total: number } } }).search?.semantic;
      if (semantic && (semantic.state === 'unavailable' || (semantic.state === 'ready' && semantic.total > 0 && semantic.embedded === semantic.total))) return;
    } catch {
      // not answering yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startProcess(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start`)), 20_000);
    const check = (d: Buffer) => {
      if (ready.test(d.toString())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
  });
  return child;
}

async function httpClient(url: string, token?: string, sse = false): Promise<Client> {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  // A proxy still starting its server refuses connections for a moment: try again for a while.
  for (let attempt = 0; ; attempt++) {
    const client = new Client({ name: 'bench', version: '1' });
    try {
      await client.connect(sse ? new SSEClientTransport(new URL(url), { requestInit: { headers } }) : new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
      return client;
    } catch (err) {
      if (attempt > 100) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A client of another proxy once its tool list shows the upstream's echo (it connects to the server in the background). */
async function readyClient(url: string, tool: string, sse: boolean): Promise<Client> {
  const client = await httpClient(url, undefined, sse);
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await client.listTools()).tools.some((t) => t.name === tool)) return client;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never listed ${tool}`);
}

async function stdioClient(command: string, args: string[], env?: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command, args, env, stderr: 'ignore' }));
  return client;
}

const summary = (samples: number[]) => ({ p50: percentile(samples, 50), p99: percentile(samples, 99) });

async function main() {
  // The SDK's HTTP client adds an abort listener per request to one signal; thousands of calls trip Node's leak warning.
  setMaxListeners(0);
  const home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-'));
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ mode: 'direct', mcpServers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } } }));
  await approveAll(home);
  const env = { ...process.env, GATEHOUSE_HOME: home, GATEHOUSE_TOKEN: 'bench-token' } as Record<string, string>;
  const args = { message: 'hello' };
  const measure = async (client: Client, name: string) => {
    const samples = await time(client, name, args);
    await client.close();
    return summary(samples);
  };

  // Over HTTP: the client speaks Streamable HTTP to server-everything itself, or to Gatehouse (which runs
  // the same server over stdio). Same client transport on both sides, so the difference is Gatehouse.
  const upstreamPort = await freePort();
  const upstream = await startProcess([EVERYTHING, 'streamableHttp'], { ...env, PORT: String(upstreamPort) }, /listening/i);
  const directHttp = await measure(await httpClient(`http://127.0.0.1:${upstreamPort}/mcp`), 'echo');
  upstream.kill();
  const ssePort = await freePort();
  const upstreamSse = await startProcess([EVERYTHING, 'sse'], { ...env, PORT: String(ssePort) }, /listening|running/i);
  const directSse = await measure(await httpClient(`http://127.0.0.1:${ssePort}/sse`, undefined, true), 'echo');
  upstreamSse.kill();

  // The other proxies, each in front of the same server over stdio.
  const proxyPort = await freePort();
  const proxy = spawn(process.execPath, [MCP_PROXY, '--port', String(proxyPort), '--server', 'stream', '--', process.execPath, EVERYTHING, 'stdio'], { stdio: 'ignore' });
  const mcpProxy = await measure(await readyClient(`http://127.0.0.1:${proxyPort}/mcp`, 'echo', false), 'echo');
  proxy.kill();
  const hubPort = await freePort();
  const hubConfig = path.join(home, 'mcp-hub.json');
  writeFileSync(hubConfig, JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } } }));
  const hub = spawn(process.execPath, [MCP_HUB, '--port', String(hubPort), '--config', hubConfig], { stdio: 'ignore', env: { ...env, XDG_STATE_HOME: home, XDG_CONFIG_HOME: home } });
  const mcpHub = await measure(await readyClient(`http://127.0.0.1:${hubPort}/mcp`, 'everything__echo', true), 'everything__echo');
  hub.kill();
  const port = await freePort();
  const serve = await startProcess([BIN, 'serve', '--port', String(port), '--log-level', 'error'], env, /Gatehouse is running/);
  const httpGatewayClient = await httpClient(`http://127.0.0.1:${port}/mcp`, 'bench-token');
  await searchSettled(env);
  const gatewayHttp = await measure(httpGatewayClient, 'everything__echo');
  // The same endpoint over the older HTTP+SSE transport, beside mcp-hub on the transport it serves.
  const gatewaySse = await measure(await httpClient(`http://127.0.0.1:${port}/mcp/sse`, 'bench-token', true), 'everything__echo');
  serve.kill('SIGTERM');

  // Over stdio: the client spawns server-everything, or `gatehouse stdio`.
  const directStdio = await measure(await stdioClient(process.execPath, [EVERYTHING, 'stdio']), 'echo');
  const stdioGatewayClient = await stdioClient(process.execPath, [BIN, 'stdio'], env);
  await searchSettled(env);
  const gatewayStdio = await measure(stdioGatewayClient, 'everything__echo');
  rmSync(home, { recursive: true, force: true });

  // The primary figures compare like with like: the same client transport (stdio) and the same server
  // program, with and without Gatehouse in between. The HTTP figures show the Streamable HTTP endpoint.
  const figures = {
    calls: CALLS,
    direct_p50_ms: round(directStdio.p50),
    direct_p99_ms: round(directStdio.p99),
    gateway_p50_ms: round(gatewayStdio.p50),
    gateway_p99_ms: round(gatewayStdio.p99),
    added_p50_ms: round(gatewayStdio.p50 - directStdio.p50),
    added_p99_ms: round(gatewayStdio.p99 - directStdio.p99),
    http_gateway_p50_ms: round(gatewayHttp.p50),
    http_gateway_p99_ms: round(gatewayHttp.p99),
    http_direct_p50_ms: round(directHttp.p50),
    http_direct_p99_ms: round(directHttp.p99),
    http_added_p50_ms: round(gatewayHttp.p50 - directHttp.p50),
    mcp_proxy_p50_ms: round(mcpProxy.p50),
    mcp_proxy_p99_ms: round(mcpProxy.p99),
    mcp_proxy_added_p50_ms: round(mcpProxy.p50 - directHttp.p50),
    sse_direct_p50_ms: round(directSse.p50),
    mcp_hub_p50_ms: round(mcpHub.p50),
    mcp_hub_p99_ms: round(mcpHub.p99),
    mcp_hub_added_p50_ms: round(mcpHub.p50 - directSse.p50),
    sse_gateway_p50_ms: round(gatewaySse.p50),
    sse_gateway_p99_ms: round(gatewaySse.p99),
    sse_added_p50_ms: round(gatewaySse.p50 - directSse.p50),
  };
  report(
    figures,
    flag('json'),
    `tools/call latency of server-everything's echo, ${CALLS} calls each, SDK client.\n` +
      'direct_*: client -> server (stdio); gateway_*: client -> gatehouse stdio -> server (stdio); added_* = the difference.\n' +
      "http_gateway_*: client -> gatehouse serve (Streamable HTTP) -> server (stdio); http_direct_*: client -> the server's own Streamable HTTP endpoint.\n" +
      'mcp_proxy_*: client -> mcp-proxy (Streamable HTTP) -> server (stdio), added against http_direct; mcp_hub_*: client -> mcp-hub (SSE, all it serves) -> server (stdio), added against the server\'s own SSE endpoint (sse_direct).\n' +
      'sse_gateway_*: client -> gatehouse serve (HTTP+SSE, /mcp/sse) -> server (stdio), added against sse_direct.',
  );
  process.exit(0);
}

void main();
