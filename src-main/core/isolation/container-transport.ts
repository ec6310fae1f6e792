// MCP over a container's stdin/stdout, attached through the Docker Engine API (no docker CLI). The
// container is labelled with its Gatehouse home and server, hardened (no new privileges, every
// capability dropped, a pids limit), and removed when it stops.
import { PassThrough } from 'node:stream';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import type Docker from 'dockerode';
import { readLines, readMessages } from '../upstream/index.js';
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
}

export class ContainerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private container: Docker.Container | undefined;
  private stream: NodeJS.ReadWriteStream | undefined;
  private closed = false;

  constructor(
    private readonly docker: Docker,
    private readonly spec: ContainerSpec,
    private readonly hooks: ContainerHooks = {},
  ) {}

  get containerId(): string | undefined {
    return this.container?.id;
  }

  async start(): Promise<void> {
    const { settings } = this.spec;
    const container = await this.docker.createContainer({
      Image: settings.image,
      Cmd: [this.spec.command, ...this.spec.args],
      Env: Object.entries(this.spec.env).map(([k, v]) => `${k}=${v}`),
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
        NetworkMode: settings.network,
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
    if (container) {
      await container.stop({ t: 2 }).catch(() => undefined);
      await container.remove({ force: true }).catch(() => undefined);
    }
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
