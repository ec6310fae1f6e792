// Remote upstreams: server-everything over Streamable HTTP and over legacy SSE, with `type` given and
// left out (a url without a type tries Streamable HTTP, then falls back to SSE).
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gatehouse } from '../src-main/core/index.js';
import { everythingEntry, freePort, tempHome, textOf } from './helpers.js';

async function startEverything(mode: 'sse' | 'streamableHttp'): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [everythingEntry, mode], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything ${mode} did not start`)), 15_000);
    child.stderr!.on('data', (d: Buffer) => {
      if (/listening|running/i.test(d.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { port, child };
}

describe('remote upstream servers', () => {
  let sse: { port: number; child: ChildProcess };
  let http: { port: number; child: ChildProcess };
  let core: Gatehouse;
  let cleanup: () => void;

  beforeAll(async () => {
    [sse, http] = await Promise.all([startEverything('sse'), startEverything('streamableHttp')]);
    const t = await tempHome({
      mcpServers: {
        streamable: { type: 'http', url: `http://127.0.0.1:${http.port}/mcp` },
        streamableUntyped: { url: `http://127.0.0.1:${http.port}/mcp` },
        legacy: { type: 'sse', url: `http://127.0.0.1:${sse.port}/sse` },
        legacyUntyped: { url: `http://127.0.0.1:${sse.port}/sse` },
      },
    });
    cleanup = t.cleanup;
    core = await Gatehouse.open({ home: t.home });
  });

  afterAll(async () => {
    await core?.close();
    sse?.child.kill();
    http?.child.kill();
    cleanup?.();
  });

  for (const name of ['streamable', 'streamableUntyped', 'legacy', 'legacyUntyped']) {
    it(`lists and calls tools over ${name}`, async () => {
      const results = await core.refresh([name]);
      const catalog = results.get(name);
      if (catalog instanceof Error) throw catalog;
      expect(catalog!.tools.map((t) => t.name)).toContain('echo');
      const result = await core.callTool(`${name}__echo`, { message: `via ${name}` });
      expect(textOf(result as { content: unknown })).toBe(`Echo: via ${name}`);
      expect(core.statuses().find((s) => s.name === name)!.state).toBe('ready');
    });
  }

  it('reports an unreachable url as an error a person can act on', async () => {
    const port = await freePort();
    await core.addServer('gone', { url: `http://127.0.0.1:${port}/mcp` });
    await core.approve('gone');
    await expect(core.callTool('gone__echo', {})).rejects.toThrow(/could not be started/);
    const status = core.statuses().find((s) => s.name === 'gone')!;
    expect(status.state).toBe('error');
    expect(status.reason).toBeTruthy();
  });
});
