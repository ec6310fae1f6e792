import { describe, expect, it } from 'vitest';
import { ConfigSchema, type GatehouseConfig } from '../../../src-shared/config/schema.js';
import { DEFAULT_RUNTIME_IMAGES } from './runtimes.js';
import { containerGivesUp, loosenedSince } from './settings.js';

const config = (isolation: object, own?: object | boolean): GatehouseConfig =>
  ConfigSchema.parse({ isolation, mcpServers: { s: { command: 'npx', args: ['some-server'], ...(own === undefined ? {} : { isolation: own }) } } });
const given = (c: GatehouseConfig) => containerGivesUp(c.mcpServers.s!, c)!;

describe('what a container gives up', () => {
  it('counts a folder, the network, running without Docker, another image or no container at all; limits and tighter mounts do not', () => {
    const approved = given(config({ enabled: true, image: 'node:22', mounts: ['/data:/data:rw', '/docs:/docs'] }));
    expect(loosenedSince(approved, given(config({ enabled: true, image: 'node:22', memory: '256m', mounts: ['/data:/data:ro'] })))).toEqual([]);
    expect(loosenedSince(approved, given(config({ enabled: true, image: 'node:22', mounts: ['/docs:/docs:rw'] })))).toEqual(['the container gets your /docs, to read and change']);
    expect(loosenedSince(approved, given(config({ enabled: true, image: 'node:22', mounts: ['/data:/data:rw', '/docs:/docs'] }, { network: 'bridge', fallback: 'unisolated' })))).toEqual([
      'it runs without a container when Docker is not available',
      'the container gets network access',
    ]);
    expect(loosenedSince(approved, given(config({ enabled: true, image: 'evil/node:22' })))).toEqual(['it runs another image (evil/node:22)']);
    expect(loosenedSince(approved, given(config({ enabled: false })))).toEqual(['it runs without a container']);
    expect(loosenedSince(approved, given(config({ enabled: true, image: 'node:22' }, false)))).toEqual(['it runs without a container']);
    // Approved without one, any container is more of one.
    expect(loosenedSince(given(config({})), approved)).toEqual([]);
    // Approved in a container of no image (it could not start): turning isolation off gives it up.
    const noImage = ConfigSchema.parse({ isolation: { enabled: true }, mcpServers: { s: { command: 'my-server' } } });
    expect(loosenedSince(containerGivesUp(noImage.mcpServers.s!, noImage)!, given(config({ enabled: false })))).toEqual(['it runs without a container']);
  });

  it('counts each host a container with no network may reach through the proxy, unless the whole network was given', () => {
    const oneHost = given(config({ enabled: true, image: 'node:22', allowHosts: ['api.github.com'] }));
    expect(loosenedSince(oneHost, given(config({ enabled: true, image: 'node:22', allowHosts: ['API.github.com'] })))).toEqual([]);
    expect(loosenedSince(oneHost, given(config({ enabled: true, image: 'node:22', allowHosts: ['api.github.com', '*.evil.example'] })))).toEqual(['the container may reach *.evil.example']);
    expect(loosenedSince(oneHost, given(config({ enabled: true, image: 'node:22' })))).toEqual([]);
    const network = given(config({ enabled: true, image: 'node:22' }, { network: 'bridge' }));
    expect(loosenedSince(network, oneHost)).toEqual([]);
  });

  it("keeps a container of Gatehouse's default image approved when a release picks a newer one; an image named in config.json is another", () => {
    const byDefault = given(config({ enabled: true }));
    expect(byDefault).toEqual(['image:default:node']);
    const was = DEFAULT_RUNTIME_IMAGES.node;
    try {
      DEFAULT_RUNTIME_IMAGES.node = 'node:24-bookworm-slim';
      expect(loosenedSince(byDefault, given(config({ enabled: true })))).toEqual([]);
      // Approved before defaults were kept by name: the image it ran is today's default.
      DEFAULT_RUNTIME_IMAGES.node = was;
      expect(loosenedSince([`image:${was}`], given(config({ enabled: true })))).toEqual([]);
      expect(loosenedSince(byDefault, given(config({ enabled: true, image: was })))).toEqual([]);
      expect(loosenedSince(byDefault, given(config({ enabled: true, image: 'evil/node:22' })))).toEqual(['it runs another image (evil/node:22)']);
      expect(loosenedSince(byDefault, given(config({ enabled: true, images: { node: 'evil/node:22' } })))).toEqual(['it runs another image (evil/node:22)']);
      expect(loosenedSince(['image:evil/node:22'], byDefault)).toEqual([`it runs another image (Gatehouse's default for node, ${was})`]);
    } finally {
      DEFAULT_RUNTIME_IMAGES.node = was;
    }
  });

  it('is not asked of a server Gatehouse does not start in a container of its own', () => {
    const remote = ConfigSchema.parse({ isolation: { enabled: true }, mcpServers: { r: { url: 'https://mcp.example.com/mcp' }, d: { command: 'docker', args: ['run', '-i', 'mcp/fetch'] } } });
    expect(containerGivesUp(remote.mcpServers.r!, remote)).toBeUndefined();
    expect(containerGivesUp(remote.mcpServers.d!, remote)).toBeUndefined();
  });
});
