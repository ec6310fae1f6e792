// Docker isolation against the real engine: a containerized stdio server speaks MCP through the Engine
// API, with no network, bounded memory, no capabilities, secrets only in its environment; containers are
// removed on idle and after a crash; without Docker nothing starts unisolated.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../src-shared/api/index.js';
import { Gatehouse } from '../src-main/core/index.js';
import { homeLabel, isolationFor } from '../src-main/core/isolation/index.js';
import { validateConfig } from '../src-main/core/config/index.js';
import { containersOf, docker, emptyImage, pushImage, requireDocker, SERVER_IN_IMAGE, startRegistry, testImage } from './docker.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { alive, connectClient, freePort, openCore, refusal, startServe, tempHome, textOf, waitFor } from './helpers.js';

let image = '';
let available = false;
const opened: { core: Gatehouse; cleanup: () => void }[] = [];

beforeAll(async () => {
  available = await requireDocker();
  if (available) image = await testImage();
}, 120_000);

afterEach(async () => {
  for (const { core, cleanup } of opened.splice(0)) {
    await core.close();
    cleanup();
  }
});

function isolated(extra: Record<string, unknown> = {}, args: string[] = []) {
  return { command: 'node', args: [SERVER_IN_IMAGE, ...args], isolation: { enabled: true, image, memory: '128m', ...extra } };
}

async function open(config: object, env: Record<string, string> = {}, options: { quarantine?: boolean } = {}) {
  const t = await tempHome(config, options);
  const { core, api } = await openCore(t.home, { env: { ...process.env, GATEHOUSE_SECRET_STORE: 'memory', ...env } });
  opened.push({ core, cleanup: t.cleanup });
  return new Person(core, api, homeLabel(t.home));
}

/** A person's view through the admin API (the CLI, the UI), and the home's container label. */
class Person {
  constructor(
    readonly core: Gatehouse,
    readonly api: ApiClient,
    readonly label: string,
  ) {}
  async callTool(id: string, args: Record<string, unknown>) {
    return (await this.api.call('tools.call', { id, arguments: args })).result;
  }
  async statuses() {
    return (await this.api.call('servers.list', {})).servers;
  }
  setSecret(name: string, value: string) {
    return this.api.call('secrets.set', { name, value });
  }
}

const json = (result: unknown) => JSON.parse(textOf(result as { content: unknown }));

describe('Docker isolation', () => {
  it('lists and calls tools of a server running in a container', async () => {
    if (!available) return;
    const core = await open({ mcpServers: { boxed: isolated() } });
    expect((await core.api.call('catalog.refresh', { servers: ['boxed'] })).results).toEqual([{ server: 'boxed', ok: true, toolCount: 3 }]);
    expect((await core.api.call('tools.list', { server: 'boxed' })).tools.map((t) => t.name)).toEqual(['echo', 'whoami', 'fetch']);
    expect(textOf((await core.callTool('boxed__echo', { message: 'from the box' })) as { content: unknown })).toBe('Echo: from the box');
    expect(await containersOf(core.label)).toHaveLength(1);
  });

  it('reviews a quarantined server inside its container, and leaves no container behind', async () => {
    if (!available) return;
    const core = await open({ mcpServers: { boxed: isolated() } }, {}, { quarantine: true });
    const { review } = await core.api.call('servers.review', { name: 'boxed' });
    expect(review.trust).toBe('quarantined');
    expect(review.tools.map((t) => t.name)).toEqual(['echo', 'whoami', 'fetch']);
    await waitFor(async () => (await containersOf(core.label)).length === 0, 'the review container to be removed');
    await expect(core.callTool('boxed__echo', { message: 'x' })).rejects.toThrow(/quarantined/);
  });

  it('has no network by default: only loopback, and a fetch fails', async () => {
    if (!available) return;
    const core = await open({ mcpServers: { boxed: isolated(), bridged: isolated({ network: 'bridge' }) } });
    expect(json(await core.callTool('boxed__whoami', {})).interfaces).toEqual(['lo']);
    const fetched = (await core.callTool('boxed__fetch', { url: 'http://gatehouse-test.invalid/' })) as { isError?: boolean; content: unknown };
    expect(fetched.isError).toBe(true);
    expect(textOf(fetched)).toMatch(/fetch failed: (EAI_AGAIN|ENOTFOUND|ENETUNREACH)/);
    expect(json(await core.callTool('bridged__whoami', {})).interfaces).toContain('eth0');
  });

  it('reaches only the hosts its entry allows, through the proxy on its own internal network', async () => {
    if (!available) return;
    // Services of this computer, on loopback only: the proxy on the host side reaches them, the container cannot.
    const host = createServer((req, res) => res.end(`hello from the host (${req.url})`));
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const port = (host.address() as AddressInfo).port;
    const other = await freePort();
    // And one on every address, which any Docker network's gateway on this computer would reach.
    const everywhere = createServer((_req, res) => res.end('a service of this computer'));
    await new Promise<void>((resolve) => everywhere.listen(0, '0.0.0.0', resolve));
    const everyPort = (everywhere.address() as AddressInfo).port;
    try {
      const allowHosts = [`127.0.0.1:${port}`, `localhost:${other}`, '*.gatehouse-test.invalid'];
      // The relay between its network and the proxy runs in the images table's node image.
      const core = await open({ isolation: { images: { node: image } }, mcpServers: { limited: isolated({ allowHosts }), bridged: isolated({ network: 'bridge' }) } });
      const { review } = await core.api.call('servers.review', { name: 'limited' });
      expect(review.launch.sandbox).toBe(`In a Docker container (${image}): no network but ${allowHosts.join(', ')} (through Gatehouse's proxy), none of your files.`);
      expect(review.launch.concerns).toContain(`Its entry lets the container reach ${allowHosts.join(', ')}.`);
      const fetch = async (url: string, extra: object = {}) => textOf(await core.callTool('limited__fetch', { url, ...extra }));
      expect(await fetch(`http://127.0.0.1:${port}/allowed`)).toBe('fetched: HTTP 200 hello from the host (/allowed)');
      expect(await fetch(`http://127.0.0.1:${port}/tunnelled`, { tunnel: true })).toBe('fetched: HTTP 200 hello from the host (/tunnelled)');
      expect(await fetch(`http://127.0.0.1:${other}/`)).toBe(`fetched: HTTP 403 Gatehouse refused this connection: 127.0.0.1:${other} is not among the hosts its entry allows (isolation.allowHosts).`);
      expect(await fetch(`http://127.0.0.1:${other}/`, { tunnel: true })).toBe('tunnel refused: HTTP 403');
      // TLS through an allowed host's tunnel that asks for another site (which could share its address) is cut.
      expect(await fetch(`http://127.0.0.1:${port}/`, { tunnel: true, servername: 'elsewhere.example' })).toMatch(/^tls failed: (ECONNRESET|EPIPE)/);
      // An allowed name that points into this computer is not let through: the address itself must be allowed.
      expect(await fetch(`http://localhost:${other}/`)).toMatch(/^fetched: HTTP 403 Gatehouse refused this connection: localhost resolves to [^,]*127\.0\.0\.1[^,]*, on this computer or its private network: name that address in allowHosts to allow it\.$/);
      expect(await fetch('http://api.gatehouse-test.invalid/')).toMatch(/^fetched: HTTP 403 Gatehouse refused this connection: api\.gatehouse-test\.invalid could not be resolved \(ENOTFOUND\)\.$/);
      // Around the proxy there is no way out: not to this computer's loopback, not beyond.
      const who = json(await core.callTool('limited__whoami', {}));
      const gateway = new URL(who.env.HTTP_PROXY).hostname;
      expect(await fetch(`http://${gateway}:${port}/`, { direct: true })).toMatch(/^fetch failed: (ECONNREFUSED|ETIMEDOUT|timed out)$/);
      expect(await fetch('http://1.1.1.1/', { direct: true })).toMatch(/^fetch failed: (ENETUNREACH|EHOSTUNREACH|ETIMEDOUT|timed out)$/);
      // This computer has no address on its network: the service on every address is out of reach, at the
      // network's gateway, at the default network's, and at the relay.
      const [own] = await docker().listNetworks({ filters: { label: [`dev.gatehouse.home=${core.label}`] } });
      const gatewayOf = async (id: string) => ((await docker().getNetwork(id).inspect()) as { IPAM: { Config: { Gateway: string }[] } }).IPAM.Config[0]!.Gateway;
      for (const address of [await gatewayOf(own!.Id), await gatewayOf('bridge'), gateway]) {
        expect(await fetch(`http://${address}:${everyPort}/`, { direct: true })).toMatch(/^fetch failed: (ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|ETIMEDOUT|timed out)$/);
      }
      const logs = (await core.api.call('servers.logs', { name: 'limited' })).lines.map((l) => l.text);
      expect(logs).toContain(`[gatehouse] refused the container a connection to 127.0.0.1:${other}: 127.0.0.1:${other} is not among the hosts its entry allows (isolation.allowHosts)`);
      // Kept in the activity log too, once a minute for each host, however often it tries.
      const refusals = (await core.api.call('activity.query', { kind: 'server', server: 'limited', status: 'egress-refused' })).records.map((r) => r.detail!);
      expect(refusals.map((r) => r.split(': ')[0]).sort()).toEqual([`127.0.0.1:${other}`, `127.0.0.1:${port}`, 'api.gatehouse-test.invalid:80', `localhost:${other}`].sort());
      expect(refusals).toContain(`127.0.0.1:${port}: its TLS hello asks for elsewhere.example, which is not among the hosts its entry allows`);
      // Another container, on Docker's default network, can use neither the relay nor the proxy behind it to
      // reach what the entry allows: here a service of this computer that listens on loopback only.
      const relay = (await containersOf(core.label)).find((c) => c.Labels['dev.gatehouse.role'] === 'egress-relay')!;
      const relayed = await docker().getContainer(relay.Id).inspect();
      const [proxyHost, proxyPort] = relayed.Config.Cmd.slice(2, 4);
      for (const proxy of [`http://${relayed.NetworkSettings.Networks['bridge']!.IPAddress}:3128`, `http://${proxyHost}:${proxyPort}`]) {
        expect(textOf(await core.callTool('bridged__fetch', { url: `http://127.0.0.1:${port}/`, proxy }))).toMatch(/^fetch failed: (ECONNREFUSED|ECONNRESET)$/);
      }
      expect(await fetch(`http://127.0.0.1:${port}/still`)).toBe('fetched: HTTP 200 hello from the host (/still)');
      // Its relay gone, the server goes with it and the next call starts both again.
      await docker().getContainer(relay.Id).remove({ force: true });
      const told = async () => (await core.api.call('servers.logs', { name: 'limited' })).lines.some((l) => l.text.includes("the relay to Gatehouse's proxy stopped, so the server is stopped too"));
      await waitFor(told, 'the server stopped with its relay');
      expect(await fetch(`http://127.0.0.1:${port}/again`)).toBe('fetched: HTTP 200 hello from the host (/again)');
      // Its network goes with its container.
      const networks = () => docker().listNetworks({ filters: { label: [`dev.gatehouse.home=${core.label}`] } });
      await waitFor(async () => (await networks()).length === 1, "the stopped server's network removed");
      await core.api.call('servers.disable', { name: 'limited' });
      await waitFor(async () => (await networks()).length === 0, 'its network to be removed');
    } finally {
      host.close();
      everywhere.close();
    }
  });

  it('refuses hosts allowed beside a network of its own, saying which to drop', async () => {
    const c = validateConfig({ mcpServers: { both: isolated({ network: 'bridge', allowHosts: ['api.github.com'] }) } });
    expect(() => isolationFor(c.mcpServers.both!, c)).toThrow('"allowHosts" limits a container that has no network of its own, and "network": "bridge" gives it all: drop one of them');
    expect(() => validateConfig({ mcpServers: { bad: isolated({ allowHosts: ['https://api.github.com/'] }) } })).toThrow(/each of allowHosts is a host name or address/);
  });

  it('applies the memory limit, drops every capability and passes secrets only in the environment', async () => {
    if (!available) return;
    const core = await open({ mcpServers: { boxed: { ...isolated({ cpus: 0.5 }), env: { API_KEY: '${keyring:box_key}' } } } });
    await core.setSecret('box_key', 'container-secret-value');
    const who = json(await core.callTool('boxed__whoami', {}));
    expect(who.env.API_KEY).toBe('container-secret-value');
    expect(who.capEff).toBe('0000000000000000');
    const [c] = await containersOf(core.label);
    const info = await docker().getContainer(c.Id).inspect();
    expect(info.HostConfig.Memory).toBe(128 * 1024 * 1024);
    expect(info.HostConfig.NanoCpus).toBe(5e8);
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.SecurityOpt).toContain('no-new-privileges');
    expect(info.HostConfig.PidsLimit).toBe(256);
    expect(info.HostConfig.NetworkMode).toBe('none');
    expect(info.Config.Labels['dev.gatehouse.server']).toBe('boxed');
    expect(JSON.stringify([info.Config.Cmd, info.Config.Labels, info.Args, info.Path])).not.toContain('container-secret-value');
    expect(info.Config.Env).toContain('API_KEY=container-secret-value');
  });

  it('refuses a secret in args for an isolated server (it would show on the command line)', async () => {
    if (!available) return;
    const core = await open({ mcpServers: { boxed: isolated({}, ['--token=${keyring:box_key}']) } });
    await core.setSecret('box_key', 'x-secret-value');
    await expect(core.callTool('boxed__echo', { message: 'x' })).rejects.toThrow(/pass it in "env" instead/);
    expect(await containersOf(core.label)).toHaveLength(0);
  });

  it('removes the container on idle shutdown', async () => {
    if (!available) return;
    const core = await open({ mcpServers: { boxed: { ...isolated(), idleTimeoutMinutes: 0.02 } } });
    await core.callTool('boxed__echo', { message: 'x' });
    expect(await containersOf(core.label)).toHaveLength(1);
    await waitFor(async () => (await containersOf(core.label)).length === 0, 'container removed', 15_000);
  });

  it('cleans up the containers and networks of a Gatehouse killed with SIGKILL at the next start', async () => {
    if (!available) return;
    const t = await tempHome({ mode: 'direct', isolation: { images: { node: image } }, mcpServers: { boxed: isolated({}, ['--linger']), fenced: isolated({ allowHosts: ['api.github.com'] }, ['--linger']) } });
    try {
      const gh = await startServe(t.home);
      const client = await connectClient(gh.url, gh.token);
      await client.callTool({ name: 'boxed__echo', arguments: { message: 'x' } });
      await client.callTool({ name: 'fenced__echo', arguments: { message: 'x' } });
      const label = homeLabel(t.home);
      const networks = () => docker().listNetworks({ filters: { label: [`dev.gatehouse.home=${label}`] } });
      // Two servers' containers and the relay of the one allowed some hosts.
      expect(await containersOf(label)).toHaveLength(3);
      expect(await networks()).toHaveLength(1);
      await gh.stop('SIGKILL');
      await waitFor(() => !alive(gh.child.pid!), 'gatehouse gone');
      expect(await containersOf(label)).toHaveLength(3); // left behind, still running
      const next = await Gatehouse.open({ home: t.home });
      try {
        await waitFor(async () => (await containersOf(label)).length === 0, 'leftover removed', 15_000);
        // The network of the one allowed some hosts, with it.
        await waitFor(async () => (await networks()).length === 0, 'its network removed', 15_000);
      } finally {
        await next.close();
      }
    } finally {
      t.cleanup();
    }
  });

  it('pulls a missing image and says why when the pull fails; an image that exists is not pulled', async () => {
    if (!available) return;
    const servers = { missing: isolated({ image: 'gatehouse-test/not-here:1' }), present: isolated(), fenced: isolated({ allowHosts: ['api.github.com'] }) };
    const core = await open({ isolation: { images: { node: 'gatehouse-test/no-relay:1' } }, mcpServers: servers });
    const pulls: string[] = [];
    core.core.on('image-pull', (p) => pulls.push(`${p.image}: ${p.message}`));
    await expect(core.callTool('missing__echo', { message: 'x' })).rejects.toThrow(/could not pull image "gatehouse-test\/not-here:1"/);
    expect((await core.statuses()).find((s) => s.name === 'missing')!.reason).toMatch(/could not pull image/);
    expect(pulls).toContain('gatehouse-test/not-here:1: pulling gatehouse-test/not-here:1');
    pulls.length = 0;
    await core.callTool('present__echo', { message: 'x' });
    expect(pulls).toEqual([]);
    // The relay of a server allowed some hosts runs in the node row's image: a failed pull of it says so.
    await expect(core.callTool('fenced__echo', { message: 'x' })).rejects.toThrow(/the relay to its allowed hosts runs in the images table's node image: could not pull image "gatehouse-test\/no-relay:1"/);
  });

  it('pins the image a tag names now, so the tag moving to another image later changes nothing that runs', async () => {
    if (!available) return;
    const registry = await startRegistry();
    if (!registry) return;
    try {
      // A tag in a real registry, which Docker here does not have yet.
      const ref = `${registry.address}/gatehouse-test/server:moving`;
      await pushImage(image, ref);
      await docker().getImage(ref).remove();
      const servers = {
        boxed: isolated({ image: ref }),
        dockerRun: { command: 'docker', args: ['run', '-i', '--rm', '--network', 'none', '-e', 'GREETING=hi', ref, 'node', SERVER_IN_IMAGE] },
        unpinned: isolated({ image: ref }),
      };
      const core = await open({ mcpServers: servers });
      const pulls: string[] = [];
      core.core.on('image-pull', (p) => pulls.push(p.message));
      for (const name of ['boxed', 'dockerRun']) {
        const { review } = await core.api.call('servers.review', { name });
        expect(review.launch.image).toBe(`It runs the image ${ref}, named by a tag its publisher can point at another image at any time: the next pull would run an image you did not review. Pin the image the tag names now to keep it.`);
      }
      const boxed = await core.api.call('servers.pinImage', { name: 'boxed' });
      expect(pulls).toContain(`pulling ${ref}`);
      const digest = (await docker().getImage(ref).inspect()).RepoDigests![0]!.split('@')[1]!;
      expect(boxed.image).toBe(`${ref}@${digest}`);
      const dockerRun = await core.api.call('servers.pinImage', { name: 'dockerRun' });
      expect(dockerRun.image).toBe(`${ref}@${digest}`);
      const entries = (await core.api.call('config.get', {})).config.mcpServers as Record<string, { args: string[]; isolation: { image: string; memory: string } }>;
      expect(entries.boxed.isolation).toMatchObject({ image: `${ref}@${digest}`, memory: '128m' });
      expect(entries.dockerRun.args).toEqual(['run', '-i', '--rm', '--network', 'none', '-e', 'GREETING=hi', `${ref}@${digest}`, 'node', SERVER_IN_IMAGE]);
      // The image each was approved with, by its digest: still approved; pinned, its review says nothing of the image.
      for (const name of ['boxed', 'dockerRun']) {
        expect((await core.api.call('servers.get', { name })).server.trust).toBe('approved');
        expect((await core.api.call('servers.review', { name })).review.launch.image).toBeUndefined();
      }
      expect((await refusal(core.api.call('servers.pinImage', { name: 'boxed' }))).message).toBe(`"boxed" already runs ${ref}@${digest}, named by its digest.`);
      // A person's change, kept in the activity log with who made it.
      expect((await core.api.call('activity.query', { kind: 'admin', limit: 50 })).records.filter((r) => r.tool === 'servers.pinImage').length).toBeGreaterThanOrEqual(2);

      // The publisher moves the tag to another image, which has no server in it.
      await emptyImage(`${ref}-other`);
      await pushImage(`${ref}-other`, ref);
      expect((await docker().getImage(ref).inspect()).RepoDigests).not.toContain(`${registry.address}/gatehouse-test/server@${digest}`);
      expect(textOf(await core.callTool('boxed__echo', { message: 'still the approved image' }))).toBe('Echo: still the approved image');
      expect(textOf(await core.callTool('dockerRun__echo', { message: 'and here' }))).toBe('Echo: and here');
      // Named by its tag, a server runs whatever the tag names now.
      await expect(core.callTool('unpinned__echo', { message: 'x' })).rejects.toThrow();
    } finally {
      await registry.stop();
    }
  }, 240_000);

  it("pins a runtime's image in the images table, for every server that runs in it", async () => {
    if (!available) return;
    const registry = await startRegistry();
    if (!registry) return;
    try {
      const ref = `${registry.address}/gatehouse-test/runtime:moving`;
      await pushImage(image, ref);
      await docker().getImage(ref).remove();
      const tabled = { command: 'node', args: [SERVER_IN_IMAGE] };
      const core = await open({ isolation: { enabled: true, memory: '128m', images: { node: ref } }, mcpServers: { tabled, alsoTabled: tabled, own: isolated() } });
      const row = async () => (await core.api.call('settings.images', {})).images.find((r) => r.runtime === 'node')!;
      // The person sees what the row names, who runs in it, and what pinning it costs before pinning.
      expect(await row()).toMatchObject({ image: ref, namedBy: 'config', pinned: false, servers: ['tabled', 'alsoTabled'] });
      // Pinning sends neither approved server back: the digest names the image their tag names now.
      for (const name of ['tabled', 'alsoTabled']) expect((await core.api.call('servers.get', { name })).server.trust).toBe('approved');
      expect((await row()).sentBack).toEqual([]);
      // The review of a server in the row says the row can be pinned for all; one with its own image, not.
      expect((await core.api.call('servers.review', { name: 'tabled' })).review.launch).toMatchObject({ image: expect.stringContaining(ref), imageRuntime: 'node' });
      expect((await core.api.call('servers.review', { name: 'own' })).review.launch.imageRuntime).toBeUndefined();
      const { images } = await core.api.call('settings.pinImages', {});
      const digest = (await docker().getImage(ref).inspect()).RepoDigests![0]!.split('@')[1]!;
      expect(images).toEqual([{ runtime: 'node', image: `${ref}@${digest}` }]);
      const config = (await core.api.call('config.get', {})).config as { isolation: { images: Record<string, string>; memory: string } };
      expect(config.isolation).toMatchObject({ memory: '128m', images: { node: `${ref}@${digest}` } });
      expect(await row()).toMatchObject({ image: `${ref}@${digest}`, pinned: true, sentBack: [] });
      // They run the same image as approved, named by its digest now: still approved, their tools still there.
      for (const name of ['tabled', 'alsoTabled', 'own']) expect((await core.api.call('servers.get', { name })).server.trust).toBe('approved');
      expect(textOf(await core.callTool('alsoTabled__echo', { message: 'still approved' }))).toBe('Echo: still approved');
      expect((await refusal(core.api.call('settings.pinImages', { runtimes: ['node'] }))).message).toBe(`The node image, ${ref}@${digest}, is named by its digest already.`);
      expect((await core.api.call('activity.query', { kind: 'admin', limit: 50 })).records.some((r) => r.tool === 'settings.pinImages' && r.status === 'ok')).toBe(true);

      // The publisher moves the tag; the table's servers still run the image pinned.
      await emptyImage(`${ref}-other`);
      await pushImage(`${ref}-other`, ref);
      expect(textOf(await core.callTool('tabled__echo', { message: 'pinned for all' }))).toBe('Echo: pinned for all');
    } finally {
      await registry.stop();
    }
  }, 240_000);

  it('without Docker: a clear status, and nothing started unisolated unless the server allows it', async () => {
    if (!available) return;
    const env = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const core = await open({ mcpServers: { strict: isolated(), lenient: isolated({ fallback: 'unisolated' }, []) } }, env);
    await expect(core.callTool('strict__echo', { message: 'x' })).rejects.toThrow(/Docker is not running or not installed/);
    const strict = (await core.statuses()).find((s) => s.name === 'strict')!;
    expect(strict.state).toBe('error');
    expect(strict.reason).toMatch(/"fallback": "unisolated"/);
    // The lenient one runs as a plain process; its command must exist on the host for that.
    const config = { command: process.execPath, args: [`${process.cwd()}/test/fixtures/plain-server.mjs`], isolation: { enabled: true, image, fallback: 'unisolated' as const } };
    await core.api.call('servers.update', { name: 'lenient', config });
    // A changed command is a new server to trust.
    await core.api.call('servers.approve', { name: 'lenient' });
    const who = json(await core.callTool('lenient__whoami', {}));
    expect(who.interfaces).not.toEqual(['lo']);
    // A plain process on this machine, not a container.
    expect(await containersOf(core.label)).toHaveLength(0);
  });
});

describe('isolation settings', () => {
  const config = (servers: object, isolation?: object) => validateConfig({ mcpServers: servers, isolation });

  it('merges the global default with the server override and picks an image from the command', () => {
    const c = config({ a: { command: 'npx', args: ['-y', 'pkg'] }, b: { command: 'uvx', args: ['tool'], isolation: { network: 'bridge' } }, c: { command: 'node', isolation: false } }, { enabled: true, memory: '1g' });
    expect(isolationFor(c.mcpServers.a, c)).toMatchObject({ image: 'node:22-bookworm-slim', network: 'none', memoryBytes: 1024 ** 3, pidsLimit: 256 });
    expect(isolationFor(c.mcpServers.b, c)).toMatchObject({ image: expect.stringContaining('python'), network: 'bridge' });
    expect(isolationFor(c.mcpServers.c, c)).toBeUndefined();
  });

  it('does not wrap a server that is itself `docker run …`, and needs an image for an unknown runtime', () => {
    const c = config({ d: { command: 'docker', args: ['run', '-i', '--rm', 'mcp/github'] }, e: { command: '/opt/bin/custom-server' } }, { enabled: true });
    expect(isolationFor(c.mcpServers.d, c)).toBeUndefined();
    expect(() => isolationFor(c.mcpServers.e, c)).toThrow(/no image for command/);
  });

  it('reads mounts read-only unless said otherwise', () => {
    const c = config({ a: { command: 'node', isolation: { enabled: true, mounts: ['/data', '/src:/work:rw', { source: '/x', target: '/y' }] } } });
    expect(isolationFor(c.mcpServers.a, c)!.mounts).toEqual([
      { source: '/data', target: '/data', readOnly: true },
      { source: '/src', target: '/work', readOnly: false },
      { source: '/x', target: '/y', readOnly: true },
    ]);
  });
});

afterAll(async () => {
  if (!available) return;
  // Belt and braces: nothing of these tests may outlive them.
  const leftovers = await docker().listContainers({ all: true, filters: { label: ['dev.gatehouse.server'] } });
  await Promise.all(leftovers.map((c) => docker().getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
});
