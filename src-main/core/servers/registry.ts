// The configured servers, kept in step with config.json: every change — an edit by hand, the CLI, the
// admin API, an agent's request — is applied in the order it happened (trust first, so a new or changed
// server is quarantined before it could be used; then the upstream connections; then what agents see).
import type { GatehouseConfig, ServerConfig } from '../../../src-shared/config/schema.js';
import { serverEntry } from '../../../src-shared/config/schema.js';
import { isValidServerName } from '../../../src-shared/ids.js';
import type { ServerStatus } from '../../../src-shared/status.js';
import type { ServerOrigin } from '../../../src-shared/trust.js';
import type { Catalog } from '../catalog/index.js';
import { ConfigError, type ConfigStore } from '../config/index.js';
import { containerGivesUp } from '../isolation/index.js';
import type { TrustStore } from '../security/index.js';
import type { LogLine, UpstreamManager } from '../upstream/index.js';
import type { Visibility } from '../visibility/index.js';

export interface RegistryDeps {
  config: ConfigStore;
  trust: TrustStore;
  catalog: Catalog;
  upstreams: UpstreamManager;
  visibility: Visibility;
  /** Before anything else, with every new config (the redactor learns the values written in it). */
  beforeApply?: (config: GatehouseConfig) => void;
  /** After a config is in force (first listings of new servers, events). */
  afterApply?: (config: GatehouseConfig) => void;
  /** Takes the literal secrets out of an entry about to be written (into the secret store); the names stored. */
  keepSecretsOut?: (name: string, server: ServerConfig, origin: ServerOrigin) => Promise<{ server: ServerConfig; stored: string[] }>;
}

export class ServerRegistry {
  /** Who is adding a server right now, for its quarantine record. */
  private readonly origins = new Map<string, ServerOrigin>();
  private applying: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RegistryDeps) {}

  /** Applies a config now (at start), and every later change in order. */
  async start(config: GatehouseConfig): Promise<void> {
    await this.apply(config);
    this.deps.config.on('change', (next) => {
      this.applying = this.applying.then(() => this.apply(next));
    });
  }

  private async apply(config: GatehouseConfig): Promise<void> {
    this.deps.beforeApply?.(config);
    const { relaunched } = this.deps.trust.sync(config.mcpServers, this.origins, (_name, server) => containerGivesUp(server, config));
    // A server started differently: its earlier listing says nothing about what it lists now.
    for (const name of relaunched) this.deps.catalog.remove(name);
    await this.deps.upstreams.apply(config);
    for (const name of this.deps.upstreams.names()) this.deps.upstreams.get(name)!.setKnownCatalog(this.deps.catalog.get(name));
    this.deps.visibility.update();
    this.deps.afterApply?.(config);
  }

  /** Resolves when every change so far is in force. */
  settled(): Promise<void> {
    return this.applying;
  }

  names(): string[] {
    return this.deps.upstreams.names();
  }

  config(name: string): ServerConfig | undefined {
    return serverEntry(this.deps.config.config, name);
  }

  status(name: string): ServerStatus | undefined {
    return this.deps.upstreams.get(name)?.status();
  }

  statuses(): ServerStatus[] {
    return this.deps.upstreams.statuses();
  }

  logs(name: string, limit?: number): LogLine[] {
    return this.deps.upstreams.log(name)?.tail(limit) ?? [];
  }

  /** A new server, quarantined until a person approves it. In force when this resolves. Returns the secrets stored. */
  async add(name: string, server: ServerConfig, origin: ServerOrigin = 'person'): Promise<string[]> {
    // A record left from a server once taken out of config.json by hand says nothing about this one.
    if (!this.config(name) && this.deps.trust.has(name)) this.deps.trust.forget(name);
    // Nothing is stored for an entry config.json will refuse (a taken or malformed name).
    const kept = this.config(name) || !isValidServerName(name) ? { server, stored: [] } : await this.keepSecretsOut(name, server, origin);
    this.origins.set(name, origin);
    try {
      await this.deps.config.addServer(name, kept.server);
      await this.applying;
    } finally {
      this.origins.delete(name);
    }
    return kept.stored;
  }

  /** An agent's change always lands in quarantine, whatever it changed. Returns the secrets stored. */
  async update(name: string, server: ServerConfig, origin: ServerOrigin = 'person'): Promise<string[]> {
    const kept = this.config(name) ? await this.keepSecretsOut(name, server, origin) : { server, stored: [] };
    if (origin === 'agent' && this.config(name)) this.deps.trust.quarantine(name, 'changed by an agent', 'agent');
    await this.deps.config.replaceServer(name, kept.server);
    await this.applying;
    return kept.stored;
  }

  private keepSecretsOut(name: string, server: ServerConfig, origin: ServerOrigin): Promise<{ server: ServerConfig; stored: string[] }> {
    return this.deps.keepSecretsOut?.(name, server, origin) ?? Promise.resolve({ server, stored: [] });
  }

  /** Removes a server and forgets every decision about it. An agent may not remove a server a person blocked. */
  async remove(name: string, origin: ServerOrigin = 'person'): Promise<void> {
    if (origin === 'agent' && this.config(name) && this.deps.trust.serverTrust(name) === 'blocked') {
      throw new ConfigError(`server "${name}" is blocked by the person; only they can remove it`, [], 'conflict');
    }
    await this.deps.config.removeServer(name);
    await this.applying;
    this.deps.trust.forget(name);
  }

  async setEnabled(name: string, enabled: boolean): Promise<void> {
    await this.deps.config.setServerEnabled(name, enabled);
    await this.applying;
  }

  /** Stops a server and clears its backoff; it starts again on its next use (or at once with `connect`). */
  async restart(name: string, connect = true): Promise<void> {
    const upstream = this.deps.upstreams.get(name);
    if (!upstream) throw new ConfigError(`no server named "${name}"`, [], 'not_found');
    await upstream.restart();
    if (connect && this.deps.visibility.isVisible(name)) await upstream.fetchCatalog().catch(() => undefined);
  }

  /** Lists the tools of the given servers (all visible ones by default) from the servers themselves. */
  refresh(names?: string[]) {
    const visible = this.deps.visibility;
    return this.deps.upstreams.refresh(names?.filter((n) => visible.isVisible(n)) ?? visible.servers());
  }
}
