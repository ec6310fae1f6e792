// All upstream servers: created, reconfigured and removed as the config changes; refreshed together.
import { EventEmitter } from 'node:events';
import type { GatehouseConfig } from '../../../src-shared/config/schema.js';
import type { ServerCatalog } from '../../../src-shared/catalog.js';
import type { ServerStatus } from '../../../src-shared/status.js';
import { ServerLog, type LogLine } from './server-log.js';
import { UpstreamServer, type UpstreamDeps } from './server.js';

export const REFRESH_TIMEOUT_MS = 30_000;

export type ManagerDeps = Omit<UpstreamDeps, 'log' | 'onStatus' | 'onCatalog' | 'defaults'> & {
  logDir?: string;
};

export interface ManagerEvents {
  status: [ServerStatus];
  catalog: [ServerCatalog];
  log: [LogLine];
  removed: [server: string];
}

export class UpstreamManager extends EventEmitter<ManagerEvents> {
  private readonly servers = new Map<string, UpstreamServer>();
  private readonly logs = new Map<string, ServerLog>();
  private defaults: UpstreamDeps['defaults'] = { callTimeoutSeconds: 120, idleTimeoutMinutes: 5, maxMessageMB: 32, maxListedItems: 20_000 };

  constructor(private readonly deps: ManagerDeps) {
    super();
  }

  get(name: string): UpstreamServer | undefined {
    return this.servers.get(name);
  }

  names(): string[] {
    return [...this.servers.keys()];
  }

  statuses(): ServerStatus[] {
    return [...this.servers.values()].map((s) => s.status());
  }

  log(name: string): ServerLog | undefined {
    return this.logs.get(name);
  }

  /** Brings the set of servers in line with `config`. Returns the names that were added. */
  async apply(config: GatehouseConfig): Promise<string[]> {
    this.defaults.callTimeoutSeconds = config.callTimeoutSeconds;
    this.defaults.idleTimeoutMinutes = config.idleTimeoutMinutes;
    this.defaults.maxMessageMB = config.maxMessageMB;
    this.defaults.maxListedItems = config.maxListedItems;
    const added: string[] = [];
    const jobs: Promise<unknown>[] = [];
    for (const [name, server] of this.servers) {
      if (!Object.hasOwn(config.mcpServers, name)) {
        this.servers.delete(name);
        jobs.push(server.disconnect('idle').finally(() => this.logs.get(name)?.close()));
        this.logs.delete(name);
        this.emit('removed', name);
      }
    }
    for (const [name, serverConfig] of Object.entries(config.mcpServers)) {
      const existing = this.servers.get(name);
      if (existing) {
        jobs.push(existing.reconfigure(serverConfig));
        continue;
      }
      const log = new ServerLog(name, this.deps.logDir, this.deps.redact);
      log.on('line', (line) => this.emit('log', line));
      this.logs.set(name, log);
      this.servers.set(
        name,
        new UpstreamServer(name, serverConfig, {
          ...this.deps,
          log,
          defaults: this.defaults,
          onStatus: (status) => this.emit('status', status),
          onCatalog: (catalog) => this.emit('catalog', catalog),
        }),
      );
      added.push(name);
    }
    await Promise.all(jobs);
    return added;
  }

  /**
   * Lists every enabled server's tools at once, each with its own time limit, so one slow or broken
   * server never holds up the rest. Resolves when all have answered or failed.
   */
  async refresh(names = this.names(), timeoutMs = REFRESH_TIMEOUT_MS): Promise<Map<string, ServerCatalog | Error>> {
    const results = new Map<string, ServerCatalog | Error>();
    await Promise.all(
      names.map(async (name) => {
        const server = this.servers.get(name);
        if (!server || server.serverConfig.enabled === false) return;
        try {
          results.set(name, await withTimeout(server.fetchCatalog(timeoutMs), timeoutMs, `server "${name}" did not list its tools within ${timeoutMs / 1000} s`));
        } catch (err) {
          results.set(name, err as Error);
        }
      }),
    );
    return results;
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.servers.values()].map((s) => s.disconnect('idle')));
    for (const log of this.logs.values()) log.close();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
