// The core, assembled: config, upstream servers, catalog, search and the gateway. The CLI runs it
// headless; the desktop app runs the same thing in Electron's main process.
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Transport } from '@modelcontextprotocol/client';
import type { GatehouseConfig, ServerConfig } from '../../src-shared/config/schema.js';
import type { ServerCatalog, ToolDefinition } from '../../src-shared/catalog.js';
import { parseToolId } from '../../src-shared/ids.js';
import type { ServerStatus } from '../../src-shared/status.js';
import type { CallRule, ServerOrigin } from '../../src-shared/trust.js';
import { AdminHttpAdapter, AdminService } from './admin/index.js';
import { Catalog, CatalogCache } from './catalog/index.js';
import { ClientCapabilityMemory } from './client-capabilities.js';
import { ConfigError, ConfigStore } from './config/index.js';
import { Gateway, loadOrCreateToken, McpHttpEndpoint, sendJson } from './gateway/index.js';
import { Isolation, isolationFor, IsolationUnavailable, type PullProgress } from './isolation/index.js';
import { ToolIndex, type SearchHit } from './search/index.js';
import { CallApprovals, hashTool, primeToolHash, reviewOf, TrustStore, unavailableReason, type ServerReview } from './security/index.js';
import {
  openSecretStore,
  placeholdersOf,
  Redactor,
  resolvePlaceholders,
  SECRET_NAME_PATTERN,
  SECRET_NAME_RULE,
  type SecretStore,
} from './secrets/index.js';
import { ensureDir, homePaths, readJsonFile, writeFileAtomic, type HomePaths } from './state/index.js';
import { createStdioTransport, UpstreamManager, type FrameTracer, type LogLine, type StdioHooks } from './upstream/index.js';

export interface GatehouseOptions {
  home: string;
  /** Print every JSON-RPC frame exchanged with upstream servers. */
  trace?: FrameTracer;
  /** The gateway may not change config.json (its `upstream_servers` tool only lists). */
  readOnly?: boolean;
  /** Hide the gateway's `upstream_servers` tool. */
  disableManagement?: boolean;
  /** Reload config.json when it is edited by hand (on for `serve`). */
  watchConfig?: boolean;
  /** List the tools of servers that have no cached catalog as soon as they are configured (on for `serve`). */
  catalogueNewServers?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface GatehouseEvents {
  status: [ServerStatus];
  catalog: [ServerCatalog];
  log: [LogLine];
  'config-changed': [GatehouseConfig];
  'config-invalid': [ConfigError];
  'image-pull': [PullProgress];
  trust: [server: string];
}

export class Gatehouse extends EventEmitter<GatehouseEvents> {
  readonly paths: HomePaths;
  readonly config: ConfigStore;
  readonly catalog: Catalog;
  readonly upstreams: UpstreamManager;
  readonly gateway: Gateway;
  readonly admin: AdminService;
  /** Scrubs the secret values in servers' env and headers (and token shapes) from logs and events. */
  readonly redactor = new Redactor();
  /** A person's trust decisions: quarantine, approvals, pins, per-call policy. */
  readonly trust: TrustStore;
  /** Agents' calls waiting for a person's yes or no. */
  readonly approvals = new CallApprovals();
  /** Who is adding a server right now, for its quarantine record. */
  private readonly origins = new Map<string, ServerOrigin>();
  private readonly index = new ToolIndex();
  private readonly toIndex = new Set<string>();
  private readonly capabilities: ClientCapabilityMemory;
  private visible = new Set<string>();
  private http: HttpServer | undefined;
  private endpoint: McpHttpEndpoint | undefined;
  private token = '';
  private secretStore: SecretStore | undefined;
  private isolationRuntime: Isolation | undefined;
  private applying: Promise<void> = Promise.resolve();
  /** Listings of never-listed servers under way; the gateway waits for them before answering. */
  private readonly listing = new Map<string, Promise<unknown>>();

  private constructor(private readonly options: GatehouseOptions) {
    super();
    this.paths = homePaths(options.home);
    this.config = new ConfigStore(this.paths.config);
    this.catalog = new Catalog(new CatalogCache(this.paths.toolCache, { hash: hashTool, prime: primeToolHash }));
    this.trust = new TrustStore(this.paths.trust, this.paths.pins);
    this.capabilities = new ClientCapabilityMemory(this.paths.clientCapabilities);
    this.upstreams = new UpstreamManager({
      logDir: this.paths.logs,
      redact: (text) => this.redactor.redact(text),
      resolve: async (config) => {
        const resolved = await resolvePlaceholders(config, () => this.secrets, this.env);
        this.redactor.learn(resolved.values);
        return resolved.config;
      },
      stdioTransport: (name, resolved, config, hooks) => this.stdioTransport(name, resolved, config, hooks),
      clientCapabilities: () => this.capabilities.current(),
      fallbackCaller: (method) => this.gateway.callerFor(method),
      onNotification: (server, n) => this.onUpstreamNotification(server, n),
      trace: options.trace,
    });
    this.admin = new AdminService(this);
    this.gateway = new Gateway(
      {
        config: () => this.config.config,
        catalog: this.catalog,
        visibleServers: () => [...this.visible],
        upstream: (name) => this.upstreams.get(name),
        search: (q, limit) => this.search(q, limit),
        visibleTool: (server, tool) => this.usableTool(server, tool),
        usableTools: (server) => this.usableTools(server),
        unavailable: (server, tool) => this.unavailableReason(server, tool),
        rule: (server, tool) => this.trust.rule(server, tool),
        askPerson: (call, signal) => this.askPerson(call, signal),
        management: () => this.management(),
        catalogued: () => this.catalogued(),
        redact: (text) => this.redactor.redact(text),
      },
      (caps) => this.capabilities.learn(caps),
    );
  }

  /** Loads config.json and the tool cache. Starts no upstream server. */
  static async open(options: GatehouseOptions): Promise<Gatehouse> {
    const core = new Gatehouse(options);
    await core.init();
    return core;
  }

  private async init(): Promise<void> {
    await ensureDir(this.paths.home);
    await ensureDir(this.paths.state);
    const config = await this.config.load();
    await this.capabilities.load();
    await this.trust.load();
    await this.catalog.loadCache(new Set(Object.keys(config.mcpServers)));
    this.upstreams.on('status', (s) => this.emit('status', s));
    this.upstreams.on('log', (l) => this.emit('log', l));
    this.upstreams.on('catalog', (c) => this.catalog.set(c));
    this.upstreams.on('removed', (name) => this.catalog.remove(name));
    this.catalog.on('change', (server, catalog) => this.onCatalogChange(server, catalog));
    this.trust.on('change', (server) => this.onTrustChange(server));
    await this.applyConfig(config);
    this.config.on('change', (next) => {
      // Applied one after another, in the order the changes happened.
      this.applying = this.applying.then(() => this.applyConfig(next)).then(() => void this.emit('config-changed', next));
    });
    this.config.on('invalid', (err) => this.emit('config-invalid', err));
    if (this.options.watchConfig) this.config.watch();
    // Containers a crashed earlier run left behind; only when some server is isolated, in the background.
    if (this.usesIsolation(config)) void this.isolation.cleanupLeftovers().catch(() => undefined);
  }

  private async applyConfig(config: GatehouseConfig): Promise<void> {
    this.redactor.setConfigured(configuredSecrets(config));
    // Trust first: a new or changed server is quarantined before it could be used, and a server started
    // differently is listed afresh for its review.
    const { relaunched } = this.trust.sync(config.mcpServers, this.origins);
    for (const name of relaunched) this.catalog.remove(name);
    await this.upstreams.apply(config);
    for (const name of this.upstreams.names()) this.upstreams.get(name)!.setKnownCatalog(this.catalog.get(name));
    this.updateVisible();
    if (this.options.catalogueNewServers) void this.catalogueNew();
  }

  /** Servers an agent may use: enabled in config.json and approved by a person. */
  private updateVisible(): void {
    const servers = this.config.config.mcpServers;
    const visible = new Set(Object.keys(servers).filter((n) => servers[n].enabled !== false && this.trust.serverTrust(n) === 'approved'));
    for (const name of this.visible) if (!visible.has(name)) this.indexServer(name);
    for (const name of visible) if (!this.visible.has(name)) this.indexServer(name);
    const changed = visible.size !== this.visible.size || [...visible].some((n) => !this.visible.has(n));
    this.visible = visible;
    if (changed) this.notifyListsChanged();
  }

  private onTrustChange(server: string): void {
    this.updateVisible();
    if (this.visible.has(server)) {
      this.indexServer(server);
      this.notifyListsChanged();
    }
    // A blocked or re-quarantined server stops at once; a newly approved one is listed if it never was.
    if (this.trust.serverTrust(server) !== 'approved') void this.upstreams.get(server)?.disconnect('idle');
    else if (this.options.catalogueNewServers) void this.catalogueNew();
    this.emit('trust', server);
  }

  /** Lists the tools of visible servers that have never been listed. Resolves when all have answered or failed. */
  catalogueNew(): Promise<unknown> {
    const fresh = [...this.visible].filter((n) => !this.catalog.get(n) && !this.listing.has(n));
    for (const name of fresh) {
      const job = this.upstreams.refresh([name]).finally(() => this.listing.delete(name));
      this.listing.set(name, job);
    }
    return this.catalogued();
  }

  /** Resolves once no first listing is under way. */
  async catalogued(): Promise<void> {
    while (this.listing.size) await Promise.all(this.listing.values());
  }

  /**
   * Queues a server for (re)indexing. The queue is worked off in the background once the gateway
   * listens (so a start-up with thousands of cached tools answers its first request sooner), and
   * at once before any search.
   */
  private indexServer(name: string): void {
    this.toIndex.add(name);
    if (this.http && this.toIndex.size === 1) setImmediate(() => this.indexSome());
  }

  private indexNow(name: string): void {
    this.toIndex.delete(name);
    const catalog = this.visible.has(name) ? this.catalog.get(name) : undefined;
    if (!catalog) return this.index.removeServer(name);
    this.index.setServer(name, this.usableTools(name), this.config.config.mcpServers[name]?.description ?? catalog.instructions);
  }

  /** Indexes queued servers for up to ~8 ms, then yields to pending I/O. */
  private indexSome(): void {
    const until = performance.now() + 8;
    for (const name of this.toIndex) {
      this.indexNow(name);
      if (performance.now() > until) break;
    }
    if (this.toIndex.size) setImmediate(() => this.indexSome());
  }

  private onCatalogChange(server: string, catalog: ServerCatalog | undefined): void {
    this.upstreams.get(server)?.setKnownCatalog(catalog);
    if (catalog) this.noteWaitingTools(catalog);
    if (this.visible.has(server)) {
      this.indexServer(server);
      this.notifyListsChanged();
    }
    if (catalog) this.emit('catalog', catalog);
  }

  /** A listing with new or changed tools: they stay hidden, and the person is told where to look. */
  private noteWaitingTools(catalog: ServerCatalog): void {
    const waiting = this.trust.observe(catalog);
    if (!waiting.length) return;
    const changed = waiting.filter((t) => t.trust === 'changed').map((t) => t.name);
    const fresh = waiting.filter((t) => t.trust === 'pending').map((t) => t.name);
    const parts = [
      changed.length ? `changed since you approved them: ${changed.join(', ')}` : '',
      fresh.length ? `new: ${fresh.join(', ')}` : '',
    ].filter(Boolean);
    this.upstreams.log(catalog.server)?.write('gatehouse', `Tools ${parts.join('; ')}. They are blocked until you approve them: gatehouse servers review ${catalog.server}`);
    this.emit('trust', catalog.server);
  }

  private notifyListsChanged(): void {
    if (this.config.config.mode === 'direct') this.gateway.broadcast('notifications/tools/list_changed');
    this.gateway.broadcast('notifications/prompts/list_changed');
    this.gateway.broadcast('notifications/resources/list_changed');
  }

  private onUpstreamNotification(server: string, n: { method: string; params?: Record<string, unknown> }): void {
    if (!this.visible.has(server)) return;
    if (n.method === 'notifications/message') {
      const logger = n.params?.logger ? `${server}/${String(n.params.logger)}` : server;
      this.gateway.broadcast(n.method, { ...n.params, logger });
    } else {
      this.gateway.broadcast(n.method, n.params);
    }
  }

  // ---- What the CLI (and later the admin API) uses ----

  statuses(): ServerStatus[] {
    return this.upstreams.statuses();
  }

  search(query: string, limit = 10): SearchHit[] {
    for (const name of this.toIndex) this.indexNow(name);
    return this.index.search(query, limit);
  }

  /** Tools an agent may use: the approved tools of approved, enabled servers. */
  tools(server?: string): { server: string; tool: ToolDefinition }[] {
    const names = server ? [server] : [...this.visible];
    return names.flatMap((s) => this.usableTools(s).map((tool) => ({ server: s, tool })));
  }

  /** A server's approved tools, whether or not it is enabled. */
  private usableTools(server: string): ToolDefinition[] {
    return (this.catalog.get(server)?.tools ?? []).filter((t) => this.trust.usable(server, t));
  }

  private usableTool(server: string, name: string): ToolDefinition | undefined {
    const tool = this.visible.has(server) ? this.catalog.tool(server, name) : undefined;
    return tool && this.trust.usable(server, tool) ? tool : undefined;
  }

  /** Why an agent cannot use a server (or one of its tools), in words for the agent; undefined when it can. */
  unavailableReason(server: string, toolName?: string): string | undefined {
    const config = this.config.config.mcpServers[server];
    return config ? unavailableReason(this.trust, server, config, toolName ? this.catalog.tool(server, toolName) : undefined) : undefined;
  }

  /** Lists the tools of the given servers (all by default) from the servers themselves. */
  refresh(names?: string[]) {
    return this.upstreams.refresh(names?.filter((n) => this.visible.has(n)) ?? [...this.visible]);
  }

  /** A visible tool by id, `<server>__<tool>`. */
  findTool(id: string): { server: string; tool: ToolDefinition } | undefined {
    const parsed = parseToolId(id);
    const tool = parsed ? this.usableTool(parsed.server, parsed.tool) : undefined;
    return tool ? { server: parsed!.server, tool } : undefined;
  }

  async callTool(id: string, args: Record<string, unknown>) {
    const parsed = parseToolId(id);
    if (!parsed) throw new ConfigError(`"${id}" is not a tool id: ids look like "<server>__<tool>"`);
    const upstream = this.upstreams.get(parsed.server);
    if (!upstream) throw new ConfigError(`no server named "${parsed.server}"`);
    const reason = this.unavailableReason(parsed.server, parsed.tool);
    if (reason) throw new ConfigError(`${reason} (gatehouse servers review ${parsed.server})`);
    return upstream.callTool(parsed.tool, args);
  }

  /** Config changes made through Gatehouse are in force when these resolve. A new server is quarantined. */
  async addServer(name: string, server: ServerConfig, origin: ServerOrigin = 'person'): Promise<void> {
    this.origins.set(name, origin);
    try {
      await this.config.addServer(name, server);
      await this.applying;
    } finally {
      this.origins.delete(name);
    }
  }

  /** An agent's change always lands in quarantine, whatever it changed. */
  async updateServer(name: string, server: ServerConfig, origin: ServerOrigin = 'person'): Promise<void> {
    if (origin === 'agent' && this.config.config.mcpServers[name]) this.trust.quarantine(name, 'changed by an agent', 'agent');
    await this.config.replaceServer(name, server);
    await this.applying;
  }

  /** Stops a server and clears its backoff; it starts again on its next use (or at once with `connect`). */
  async restartServer(name: string, connect = true): Promise<void> {
    const upstream = this.upstreams.get(name);
    if (!upstream) throw new ConfigError(`no server named "${name}"`, [], 'not_found');
    await upstream.restart();
    if (connect && this.visible.has(name)) await upstream.fetchCatalog().catch(() => undefined);
  }

  async removeServer(name: string): Promise<void> {
    await this.config.removeServer(name);
    await this.applying;
  }

  async setServerEnabled(name: string, enabled: boolean): Promise<void> {
    await this.config.setServerEnabled(name, enabled);
    await this.applying;
  }

  // ---- Trust ----

  /**
   * Everything a person needs to decide on a server: every tool, prompt and resource in full, each tool's
   * standing against its pin (with a diff when it changed) and the scanner's findings. A server never
   * listed (or `refresh`) is connected just long enough to list it (in its container when isolated).
   */
  async reviewServer(name: string, refresh = false): Promise<ServerReview> {
    const upstream = this.upstreams.get(name);
    if (!upstream) throw new ConfigError(`no server named "${name}"`, [], 'not_found');
    let error: string | undefined;
    if (refresh || !this.catalog.get(name)) {
      try {
        await upstream.fetchCatalog();
      } catch (err) {
        error = this.redactor.redact(err instanceof Error ? err.message : String(err));
      } finally {
        if (!this.visible.has(name)) await upstream.disconnect('idle');
      }
    }
    const others = new Map(this.catalog.all().filter((c) => c.server !== name).flatMap((c) => c.tools.map((t) => [t.name, c.server] as const)));
    return { ...reviewOf(name, this.catalog.get(name), this.trust, others), ...(error ? { error } : {}) };
  }

  /** A person approves a server (all its tools, or the ones named). Never reachable from the gateway. */
  async approve(name: string, tools?: string[]): Promise<void> {
    const catalog = this.knownServer(name);
    if (tools) this.requireTools(name, catalog, tools);
    this.trust.approve(name, catalog, tools);
    await this.trust.flush();
  }

  /** A person blocks a server, or some of its tools. */
  async block(name: string, tools?: string[]): Promise<void> {
    const catalog = this.knownServer(name);
    if (tools) this.requireTools(name, catalog, tools);
    this.trust.block(name, catalog, tools);
    await this.trust.flush();
  }

  private knownServer(name: string): ServerCatalog | undefined {
    if (!this.config.config.mcpServers[name]) throw new ConfigError(`no server named "${name}"`, [], 'not_found');
    return this.catalog.get(name);
  }

  private requireTools(name: string, catalog: ServerCatalog | undefined, tools: string[]): void {
    const unknown = tools.filter((t) => !catalog?.tools.some((x) => x.name === t));
    if (unknown.length) throw new ConfigError(`server "${name}" lists no tool ${unknown.map((t) => `"${t}"`).join(', ')}: review it first (gatehouse servers review ${name})`, [], 'not_found');
  }

  async setRule(server: string, tool: string | undefined, rule: CallRule | undefined): Promise<void> {
    this.knownServer(server);
    this.trust.setRule(server, tool, rule);
    await this.trust.flush();
  }

  async setStrict(strict: boolean): Promise<void> {
    this.trust.setStrict(strict);
    await this.trust.flush();
  }

  /** Asks the person (UI, notification, CLI) about an agent's call; no answer in time is a no. */
  private askPerson(call: { server: string; tool: string; arguments: Record<string, unknown> }, signal?: AbortSignal) {
    const args = this.redactor.redact(JSON.stringify(call.arguments));
    const shown = args.length > 2000 ? `${args.slice(0, 2000)}…` : args;
    return this.approvals.ask({ server: call.server, tool: call.tool, arguments: shown }, this.config.config.approvalTimeoutSeconds * 1000, signal);
  }

  /** What the gateway's `upstream_servers` tool may do. */
  private management() {
    const config = this.config.config;
    return {
      enabled: !(this.options.disableManagement || config.disableManagement),
      readOnly: Boolean(this.options.readOnly || config.readOnly),
      servers: () =>
        Object.entries(this.config.config.mcpServers).map(([name, s]) => ({
          name,
          trust: this.trust.serverTrust(name),
          enabled: s.enabled !== false,
          config: s,
          toolCount: this.usableTools(name).length,
        })),
      add: (name: string, server: ServerConfig) => this.addServer(name, server, 'agent'),
      update: (name: string, server: ServerConfig) => this.updateServer(name, server, 'agent'),
      remove: (name: string) => this.removeServer(name),
    };
  }

  // ---- Isolation ----

  /** Docker, for servers that run in containers (set up on first use). */
  get isolation(): Isolation {
    this.isolationRuntime ??= new Isolation(this.paths.home, this.env, (p) => this.emit('image-pull', p));
    return this.isolationRuntime;
  }

  private async stdioTransport(name: string, resolved: ServerConfig, config: ServerConfig, hooks: StdioHooks): Promise<Transport> {
    const settings = isolationFor(config, this.config.config);
    if (!settings) return createStdioTransport(resolved, hooks);
    if (placeholdersOf({ args: config.args }).length) {
      throw new IsolationUnavailable('a secret in "args" would show on the container\'s command line: pass it in "env" instead');
    }
    try {
      return await this.isolation.transport(name, resolved.command!, resolved.args ?? [], resolved.env ?? {}, settings, hooks);
    } catch (err) {
      if (!(err instanceof IsolationUnavailable && err.reason === 'engine' && settings.fallback === 'unisolated')) throw err;
      this.upstreams.log(name)?.write('gatehouse', `${err.message} Running it unisolated, as its config allows.`);
      return createStdioTransport(resolved, hooks);
    }
  }

  private usesIsolation(config: GatehouseConfig): boolean {
    return Object.values(config.mcpServers).some((s) => {
      try {
        return isolationFor(s, config) !== undefined;
      } catch {
        return true;
      }
    });
  }

  // ---- Secrets ----

  private get env(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env;
  }

  /** The secret store: the keychain unless the user opted in to another (opened on first use). */
  get secrets(): SecretStore {
    this.secretStore ??= openSecretStore(this.env.GATEHOUSE_SECRET_STORE ?? this.config.config.secretStore, this.paths.secrets, this.env);
    return this.secretStore;
  }

  /** Every secret name: the ones set, and the ones servers ask for, with who asks. */
  async listSecrets(): Promise<{ name: string; set: boolean; usedBy: string[] }[]> {
    const names = new Set(await this.secrets.list());
    const usedBy = new Map<string, string[]>();
    for (const [server, config] of Object.entries(this.config.config.mcpServers)) {
      for (const p of placeholdersOf(config)) if (p.kind === 'keyring') usedBy.set(p.name, [...(usedBy.get(p.name) ?? []), server]);
    }
    return [...new Set([...names, ...usedBy.keys()])].sort().map((name) => ({ name, set: names.has(name), usedBy: usedBy.get(name) ?? [] }));
  }

  async setSecret(name: string, value: string): Promise<void> {
    if (!SECRET_NAME_PATTERN.test(name)) throw new ConfigError(`"${name}" is not a valid secret name: ${SECRET_NAME_RULE}`);
    if (value === '') throw new ConfigError('a secret cannot be empty');
    this.redactor.learn([value]);
    await this.secrets.set(name, value);
    // Servers that were waiting for it may start now.
    for (const server of this.upstreams.names().map((n) => this.upstreams.get(n)!)) {
      if (server.waitsForSecret && placeholdersOf(server.serverConfig).some((p) => p.kind === 'keyring' && p.name === name)) await server.restart();
    }
  }

  async deleteSecret(name: string): Promise<boolean> {
    return this.secrets.delete(name);
  }

  /** A secret's value: only for a person who explicitly asked to see it. */
  async revealSecret(name: string): Promise<string | undefined> {
    const value = await this.secrets.get(name);
    if (value) this.redactor.learn([value]);
    return value;
  }

  // ---- The HTTP face ----

  /** Serves the gateway on 127.0.0.1 only. Port 0 picks a free one. */
  async listen(port: number): Promise<{ url: string; port: number; token: string }> {
    this.token = await this.gatewayToken();
    const adminToken = await this.adminToken();
    const admin = new AdminHttpAdapter(this.admin, () => adminToken, () => this.port);
    const endpoint = new McpHttpEndpoint(this.gateway, () => this.token, () => this.port);
    this.endpoint = endpoint;
    const http = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const handled = path === '/mcp' ? endpoint.handle(req, res) : path.startsWith('/api/') ? admin.handle(req, res, path.slice(5)) : undefined;
      if (!handled) return sendJson(res, 404, { error: 'not_found', message: `Nothing at ${path}: the MCP endpoint is /mcp, the admin API /api` });
      handled.catch(() => {
        if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'internal error' });
        else res.end();
      });
    });
    this.http = http;
    await new Promise<void>((resolve, reject) => {
      http.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new ConfigError(`port ${port} on 127.0.0.1 is in use: stop the other program or pass --port <n>`) : err),
      );
      http.listen(port, '127.0.0.1', () => resolve());
    });
    if (this.toIndex.size) setImmediate(() => this.indexSome());
    // Tells the CLI (and other local tools) where the running Gatehouse answers.
    await writeFileAtomic(this.paths.instance, JSON.stringify({ pid: process.pid, port: this.port, startedAt: Date.now() }));
    return { url: `http://127.0.0.1:${this.port}/mcp`, port: this.port, token: this.token };
  }

  /** Removes the instance file, unless another Gatehouse has written its own there since. */
  private async forgetInstance(): Promise<void> {
    const instance = await readJsonFile<{ pid?: number }>(this.paths.instance).catch(() => undefined);
    if (instance?.pid === process.pid) await fs.rm(this.paths.instance, { force: true });
  }

  /** The gateway's URL while it listens. */
  get gatewayUrl(): string | undefined {
    return this.http ? `http://127.0.0.1:${this.port}/mcp` : undefined;
  }

  /** The bearer token AI clients present: GATEHOUSE_TOKEN, else generated once and kept in state/. */
  gatewayToken(): Promise<string> {
    return loadOrCreateToken(this.paths.token, this.env, 'GATEHOUSE_TOKEN');
  }

  /** The admin API's own token (a client that may call tools must not be able to change Gatehouse). */
  adminToken(): Promise<string> {
    return loadOrCreateToken(this.paths.adminToken, this.env, 'GATEHOUSE_ADMIN_TOKEN');
  }

  get port(): number {
    return (this.http?.address() as AddressInfo | null)?.port ?? 0;
  }

  async close(): Promise<void> {
    this.config.stop();
    this.approvals.close();
    this.admin.close();
    if (this.http) await this.forgetInstance();
    await this.endpoint?.close();
    await this.gateway.close();
    if (this.http) {
      this.http.closeAllConnections();
      await new Promise<void>((resolve) => this.http!.close(() => resolve()));
    }
    await this.upstreams.shutdown();
    await this.catalog.flush();
    await this.trust.flush();
  }
}

/**
 * Values written in config.json that are secrets in all but name: every header value, and env values
 * whose variable name says so. (Placeholders are resolved and learned separately, at start.)
 */
function configuredSecrets(config: GatehouseConfig): string[] {
  const secretName = /key|token|secret|pass|auth|credential|private|cookie|session/i;
  return Object.values(config.mcpServers).flatMap((s) => [
    ...Object.values(s.headers ?? {}),
    ...Object.entries(s.env ?? {})
      .filter(([name]) => secretName.test(name))
      .map(([, value]) => value),
  ]).filter((value) => !value.includes('${'));
}
