// MCP over a container's stdin/stdout, attached through the Docker Engine API (no docker CLI). The
// container is labelled with its Gatehouse home and server, hardened (no new privileges, every
// capability dropped, a pids limit), and removed when it stops. One allowed some hosts gets an internal
// network of its own, whose only way out is a relay to Gatehouse's proxy.
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import type Docker from 'dockerode';
import { readLines, readMessages } from '../upstream/index.js';
import { bridgeGateway, type BridgeInfo } from './bridge-gateway.js';
import { EgressProxy } from './egress-proxy.js';
import { startRelay } from './egress-relay.js';
import type { IsolationSettings } from './settings.js';

export const LABEL_HOME = 'dev.gatehouse.home';
export const LABEL_SERVER = 'dev.gatehouse.server';
export const LABEL_PID = 'dev.gatehouse.pid';

export interface ContainerSpec {
  server: string;
  homeLabel: string;
  command: string;
  args: string[];
  /** The server's env with secrets filled in: it reaches the container only here, at create time. */
  env: Record<string, string>;
  settings: IsolationSettings;
}

export interface ContainerHooks {
  onStderrLine?: (line: string) => void;
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** The largest message the server may send. */
  maxMessageBytes?: number;
  /** Its proxy refused the container a connection (`host:port`), and why. */
  onEgressRefused?: (target: string, why: string) => void;
}

export class ContainerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private container: Docker.Container | undefined;
  private stream: NodeJS.ReadWriteStream | undefined;
  private egress: { network: Docker.Network; proxy?: EgressProxy; relay?: Docker.Container } | undefined;
  private closed = false;
  private egressRemoved = false;

  constructor(
    private readonly docker: Docker,
    private readonly spec: ContainerSpec,
    private readonly hooks: ContainerHooks = {},
  ) {}

  get containerId(): string | undefined {
    return this.container?.id;
  }

  async start(): Promise<void> {
    try {
      await this.create();
    } catch (err) {
      void this.removeEgress();
      throw err;
    }
  }

  private async create(): Promise<void> {
    const { settings } = this.spec;
    const proxy = settings.allowHosts.length ? await this.openEgress(settings.allowHosts, settings.relayImage ?? settings.image) : undefined;
    const container = await this.docker.createContainer({
      Image: settings.image,
      Cmd: [this.spec.command, ...this.spec.args],
      Env: Object.entries({ ...this.spec.env, ...(proxy ? proxyEnv(proxy) : {}) }).map(([k, v]) => `${k}=${v}`),
      WorkingDir: settings.workdir,
      OpenStdin: true,
      StdinOnce: false,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      Labels: { [LABEL_HOME]: this.spec.homeLabel, [LABEL_SERVER]: this.spec.server, [LABEL_PID]: String(process.pid) },
      HostConfig: {
        AutoRemove: true,
        NetworkMode: this.egress ? this.egress.network.id : settings.network,
        Memory: settings.memoryBytes,
        NanoCpus: settings.cpus ? Math.round(settings.cpus * 1e9) : undefined,
        PidsLimit: settings.pidsLimit,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        ReadonlyRootfs: settings.readOnlyRootfs,
        Tmpfs: settings.readOnlyRootfs ? { '/tmp': 'rw,size=64m' } : undefined,
        Binds: settings.mounts.map((m) => `${m.source}:${m.target}:${m.readOnly ? 'ro' : 'rw'}`),
      },
    });
    this.container = container;
    const stream = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
    this.stream = stream;
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    container.modem.demuxStream(stream, stdout, stderr);
    readMessages(stdout, (m) => this.onmessage?.(m as JSONRPCMessage), (err) => this.onerror?.(err), this.hooks.maxMessageBytes);
    readLines(stderr, (line) => this.hooks.onStderrLine?.(line));
    stream.on('end', () => this.finish());
    stream.on('error', (err: Error) => this.onerror?.(err));
    await container.start();
    void container
      .wait()
      .then((r: { StatusCode: number }) => this.hooks.onExit?.(r.StatusCode, null))
      .catch(() => undefined)
      .finally(() => this.finish());
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.stream || this.closed) return reject(new Error('the server container is not running'));
      this.stream.write(`${JSON.stringify(message)}\n`, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Stops the container (it removes itself); removes it outright if it will not stop. */
  async close(): Promise<void> {
    const container = this.container;
    this.stream?.end();
    // Said closed at once: a call made while the container takes its time to stop goes to a new one, not
    // into a stream already ended.
    this.markClosed();
    if (container) {
      await container.stop({ t: 2 }).catch(() => undefined);
      await container.remove({ force: true }).catch(() => undefined);
    }
    this.finish();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }

  /** Once the container is gone: its network and relay go too. */
  private finish(): void {
    this.markClosed();
    if (this.egressRemoved) return;
    this.egressRemoved = true;
    void this.removeEgress();
  }

  /**
   * An internal network for this container alone, on which this computer has no address (so services it
   * runs on every address are out of reach too), and on it a relay whose one task is to carry connections to
   * Gatehouse's proxy, listening on the host's side of Docker's default network. Says the proxy's address
   * as the container sees it.
   */
  private async openEgress(allow: string[], relayImage: string): Promise<string> {
    const labels = { [LABEL_HOME]: this.spec.homeLabel, [LABEL_SERVER]: this.spec.server, [LABEL_PID]: String(process.pid) };
    let network: Docker.Network;
    try {
      network = await this.docker.createNetwork({
        Name: `gatehouse-egress-${this.spec.homeLabel}-${randomUUID().slice(0, 8)}`,
        Driver: 'bridge',
        Internal: true,
        CheckDuplicate: true,
        Options: { 'com.docker.network.bridge.inhibit_ipv4': 'true' },
        Labels: labels,
      });
    } catch (err) {
      throw new Error(`could not make the network through which the container reaches ${allow.join(', ')}: ${(err as Error).message}`);
    }
    this.egress = { network };
    const bridge = (await this.docker
      .getNetwork('bridge')
      .inspect()
      .catch((err: Error) => {
        throw new Error(`Docker's default network ("bridge"), through which the relay reaches Gatehouse's proxy, could not be read: ${err.message}`);
      })) as BridgeInfo;
    const gateway = bridgeGateway(bridge);
    if (!gateway) throw new Error("Docker's default network has no IPv4 gateway or subnet for the proxy of allowHosts to listen on");
    // Nothing but the relay may use the proxy, and nothing at all until the relay is there.
    let relayAddress: string | undefined;
    try {
      this.egress.proxy = await EgressProxy.start(
        gateway.address,
        allow,
        (target, why) => {
          this.hooks.onStderrLine?.(`[gatehouse] refused the container a connection to ${target}: ${why}`);
          this.hooks.onEgressRefused?.(target, why);
        },
        (peer) => peer === relayAddress,
      );
    } catch (err) {
      // Docker Desktop runs the engine in a virtual machine, where its networks' gateways are, not here.
      throw new Error(
        `could not listen on ${gateway.address}, ${gateway.stated ? 'the gateway' : "the first address (its engine states no gateway)"} of Docker's default network (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): the proxy for allowHosts needs a Docker engine on this computer itself, not in a virtual machine as Docker Desktop runs it`,
      );
    }
    const egress = this.egress;
    const { container: relay, url, from } = await startRelay(this.docker, { image: relayImage, network, labels, proxy: { host: gateway.address, port: egress.proxy!.port }, created: (c) => (egress.relay = c) });
    relayAddress = from;
    // Without its relay the server has no way out at all: it stops too, and starts again, relay and all, when next called.
    void relay.wait().then(
      () => {
        if (this.closed || this.egress?.relay !== relay) return;
        this.hooks.onStderrLine?.("[gatehouse] the relay to Gatehouse's proxy stopped, so the server is stopped too: it starts again when next called");
        void this.close();
      },
      () => undefined,
    );
    return url;
  }

  /** The relay and the proxy stopped and the network removed, once Docker has removed the container from it. */
  private async removeEgress(): Promise<void> {
    const egress = this.egress;
    this.egress = undefined;
    if (!egress) return;
    await egress.relay?.remove({ force: true }).catch(() => undefined);
    egress.proxy?.close();
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await egress.network.remove();
        return;
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) return;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
}

/** What the usual HTTP clients read to find a proxy (Node's own fetch from Node 24 with NODE_USE_ENV_PROXY). */
function proxyEnv(url: string): Record<string, string> {
  return { HTTP_PROXY: url, HTTPS_PROXY: url, http_proxy: url, https_proxy: url, ALL_PROXY: url, NO_PROXY: '', no_proxy: '', NODE_USE_ENV_PROXY: '1' };
}
