// Listing every server at once (first start, `tools list --refresh`): one hanging server times out alone
// and never holds up the rest. Real processes, through the upstream capability's own surface.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../src-shared/config/schema.js';
import { transportFactory, UpstreamManager } from '../src-main/core/upstream/index.js';
import { servers } from './helpers.js';

let manager: UpstreamManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

describe('listing all servers', () => {
  it('lists them concurrently; a hanging one times out alone', async () => {
    manager = new UpstreamManager({
      logDir: undefined,
      redact: (text) => text,
      resolve: async (config) => config,
      transports: transportFactory(),
      clientCapabilities: () => ({}),
      fallbackCaller: () => undefined,
      onNotification: () => undefined,
    });
    await manager.apply(ConfigSchema.parse({ mcpServers: { hang: servers.fixture('test-server.mjs', '--hang'), everything: servers.everything, memory: servers.memory } }));
    const started = Date.now();
    const results = await manager.refresh(undefined, 3000);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(results.get('hang')).toBeInstanceOf(Error);
    expect((results.get('everything') as { tools: unknown[] }).tools.length).toBeGreaterThan(5);
    expect((results.get('memory') as { tools: unknown[] }).tools.length).toBeGreaterThan(5);
  });
});
