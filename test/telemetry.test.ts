// Observability for those who run a stack: traces received by a real OTLP/HTTP receiver on loopback (a
// span per gateway request continuing the client's traceparent, a child span for the upstream call, no
// secret anywhere in them), and Prometheus metrics at /metrics behind a token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, servers, startServe, tempHome, waitFor, type RunningGatehouse } from './helpers.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string } }[];
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const SECRET = 'sk-live-telemetry-5ecret-91c';

let receiver: Server;
const bodies: string[] = [];
let gh: RunningGatehouse;
let home: string;
let cleanup: () => void;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/v1/traces') bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;
  const t = await tempHome({ mcpServers: { everything: { ...servers.everything, env: { API_KEY: SECRET } } }, telemetry: { otlpEndpoint: endpoint }, searchByMeaning: false });
  home = t.home;
  cleanup = t.cleanup;
  gh = await startServe(home);
}, 60_000);

afterAll(async () => {
  await gh?.stop();
  receiver?.close();
  cleanup?.();
});

const spans = (): OtlpSpan[] =>
  bodies.flatMap((b) => (JSON.parse(b) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));

describe('telemetry', () => {
  it("exports a span per gateway request, continuing the client's traceparent, with the upstream call as its child", async () => {
    const client = await connectClient(gh.url, gh.token);
    await client.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: `my key is ${SECRET}` } }, _meta: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } });
    await client.close();
    const request = await waitFor(() => spans().find((s) => s.name === 'mcp tools/call' && s.traceId === TRACE_ID), 'the request span', 15_000);
    expect(request.parentSpanId).toBe(PARENT_ID);
    const upstream = await waitFor(() => spans().find((s) => s.name === 'upstream tools/call' && s.parentSpanId === request.spanId), 'the upstream span', 15_000);
    expect(upstream.traceId).toBe(TRACE_ID);
    expect(upstream.attributes).toEqual(expect.arrayContaining([{ key: 'gatehouse.server', value: { stringValue: 'everything' } }]));
    // Neither the arguments nor the server's environment reach a span.
    expect(bodies.join('\n')).not.toContain(SECRET);
    expect(bodies.join('\n')).not.toContain('my key is');
  }, 60_000);

  it('serves Prometheus metrics behind a token', async () => {
    const url = `http://127.0.0.1:${gh.port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${gh.token}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/gatehouse_calls_total\{server="everything",tool="echo",status="ok"\} 1/);
    expect(text).toMatch(/gatehouse_call_duration_seconds_count\{server="everything"\} 1/);
    expect(text).toMatch(/gatehouse_upstream_state\{server="everything",state="ready"\} 1/);
    expect(text).not.toContain(SECRET);
  });
});
