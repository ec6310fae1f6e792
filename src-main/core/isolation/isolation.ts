// Runs stdio servers in containers: finds the engine, makes sure the image is there (pulling it with
// progress), creates the container transport, and clears away containers an earlier run left behind.
import { createHash, randomUUID } from 'node:crypto';
import type Docker from 'dockerode';
import { ContainerTransport, LABEL_HOME, LABEL_PID, type ContainerHooks } from './container-transport.js';
import { findEngine, type EngineAddress } from './engine.js';
import { digestFor } from './image-ref.js';
import type { IsolationSettings } from './settings.js';

export interface PullProgress {
  id: string;
  image: string;
  done: number;
  total: number;
  message: string;
}

export interface EgressRefusal {
  server: string;
  /** `host:port` as the container asked for it. */
  target: string;
  why: string;
}

/** Docker cannot be used for this server: the message says why and what the person can do. */
export class IsolationUnavailable extends Error {
  constructor(
    message: string,
    /** engine: Docker is not there (the only case a server's `fallback` may run it unisolated). */
    readonly reason: 'engine' | 'image' = 'engine',
  ) {
    super(message);
    this.name = 'IsolationUnavailable';
  }
}

/** The label that marks a Gatehouse home's containers (so leftovers of a crashed run are found, and only those). */
export function homeLabel(home: string): string {
  return createHash('sha256').update(home).digest('hex').slice(0, 16);
}

export class Isolation {
  private docker: Docker | undefined;
  private readonly engine: EngineAddress;
  readonly homeLabel: string;

  constructor(
    home: string,
    env: NodeJS.ProcessEnv,
    private readonly onPullProgress: (progress: PullProgress) => void = () => undefined,
    private readonly onEgressRefused: (refusal: EgressRefusal) => void = () => undefined,
  ) {
    this.engine = findEngine({ env });
    this.homeLabel = homeLabel(home);
  }

  private async client(): Promise<Docker> {
    if (!this.docker) {
      const { default: DockerCtor } = await import('dockerode');
      this.docker = new DockerCtor(this.engine.options);
    }
    return this.docker;
  }

  /** Throws IsolationUnavailable when the engine does not answer. */
  async ping(server: string): Promise<Docker> {
    const docker = await this.client();
    try {
      await docker.ping();
      return docker;
    } catch (err) {
      throw new IsolationUnavailable(
        `Docker is not running or not installed (no engine at ${this.engine.where}: ${(err as Error).message}). ` +
          `Start Docker, or let this server run without isolation: "isolation": { "fallback": "unisolated" } in ${server}'s config.`,
      );
    }
  }

  /** Pulls `image` unless it is already there, reporting progress; a failed pull says why. */
  async ensureImage(docker: Docker, image: string): Promise<void> {
    try {
      await docker.getImage(image).inspect();
      return;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
    const id = randomUUID();
    const layers = new Map<string, { current: number; total: number }>();
    const report = (message: string) => {
      let done = 0;
      let total = 0;
      for (const l of layers.values()) {
        done += l.current;
        total += l.total;
      }
      this.onPullProgress({ id, image, done, total, message });
    };
    report(`pulling ${image}`);
    try {
      const stream = await docker.pull(image);
      await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(
          stream,
          (err: Error | null) => (err ? reject(err) : resolve()),
          (event: { id?: string; status?: string; progressDetail?: { current?: number; total?: number }; error?: string }) => {
            if (event.error) return reject(new Error(event.error));
            if (event.id && event.progressDetail?.total) layers.set(event.id, { current: event.progressDetail.current ?? 0, total: event.progressDetail.total });
            report(event.status ?? '');
          },
        );
      });
    } catch (err) {
      throw new IsolationUnavailable(`could not pull image "${image}": ${(err as Error).message.replace(/\s+/g, ' ').trim()}`, 'image');
    }
    report(`pulled ${image}`);
  }

  /** The registry digest of the image `image` names now, pulled first when absent: what pins it. */
  async digestOf(image: string): Promise<string> {
    const docker = await this.client();
    try {
      await docker.ping();
    } catch (err) {
      throw new IsolationUnavailable(`Docker is not running or not installed (no engine at ${this.engine.where}: ${(err as Error).message}). Start Docker to pin the image.`);
    }
    await this.ensureImage(docker, image);
    const digest = digestFor(image, (await docker.getImage(image).inspect()).RepoDigests ?? []);
    if (!digest) {
      throw new IsolationUnavailable(`the image ${image} was made on this computer, not pulled from a registry, so no registry digest names it. Push it to a registry and name it from there.`, 'image');
    }
    return digest;
  }

  async transport(
    server: string,
    command: string,
    args: string[],
    env: Record<string, string>,
    settings: IsolationSettings,
    hooks: ContainerHooks,
  ): Promise<ContainerTransport> {
    const docker = await this.ping(server);
    await this.ensureImage(docker, settings.image);
    if (settings.relayImage) {
      await this.ensureImage(docker, settings.relayImage).catch((err: Error) => {
        // A server of another runtime would not otherwise say why a node image is wanted.
        throw err instanceof IsolationUnavailable ? new IsolationUnavailable(`the relay to its allowed hosts runs in the images table's node image: ${err.message}`, err.reason) : err;
      });
    }
    return new ContainerTransport(docker, { server, homeLabel: this.homeLabel, command, args, env, settings }, { ...hooks, onEgressRefused: (target, why) => this.onEgressRefused({ server, target, why }) });
  }

  /** Removes containers of this Gatehouse home whose Gatehouse process is gone (a crash, a SIGKILL). */
  async cleanupLeftovers(): Promise<number> {
    let docker: Docker;
    try {
      docker = await this.client();
      await docker.ping();
    } catch {
      return 0;
    }
    const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL_HOME}=${this.homeLabel}`] } });
    let removed = 0;
    for (const c of containers) {
      const pid = Number(c.Labels[LABEL_PID]);
      if (pid === process.pid || (pid > 0 && alive(pid))) continue;
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .then(() => removed++)
        .catch(() => undefined);
    }
    // The internal networks of containers allowed some hosts, once their containers are gone.
    for (const n of await docker.listNetworks({ filters: { label: [`${LABEL_HOME}=${this.homeLabel}`] } })) {
      const pid = Number(n.Labels?.[LABEL_PID]);
      if (pid === process.pid || (pid > 0 && alive(pid))) continue;
      await docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined);
    }
    return removed;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
