// The core, assembled: each capability is built here and handed the few things it needs of the others.
// Nothing else lives here — no capability imports this file. The CLI runs it headless; the desktop app
// runs the same thing in Electron's main process.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { DEFAULT_PORT, serverEntry, type GatehouseConfig, type ServerConfig } from '../../src-shared/config/schema.js';
import { toolId } from '../../src-shared/ids.js';
import type { ServerOrigin } from '../../src-shared/trust.js';
import type { SignInStatus } from '../../src-shared/sign-in.js';
import { ActivityLog, recordActivity } from './activity/index.js';
import { retentionOf } from '../../src-shared/config/retention.js';
import { AdminHttpAdapter, AdminService, type AdminCore } from './admin/index.js';
import { SignIns, SignInStore } from './auth/index.js';
import { Clients, ClientTokens, currentPlace } from './clients/index.js';
import { generateKeys, loadKeys, saveKeys, VaultClient, vaultTransport } from './vault/index.js';
import { findPackageFile } from './resources/index.js';
import { CallPipeline } from './calls/index.js';
import { Catalog, CatalogCache } from './catalog/index.js';
import { ConfigError, ConfigStore } from './config/index.js';
import type { CoreEvents } from './events.js';
import { ClientCapabilityMemory, Gateway, LogLimit, McpHttpEndpoint, serveStdio, type Management } from './gateway/index.js';
import { AlreadyRunning, bearerToken, checkLocalRequest, Host, PortInUse, sendJson, tokenMatches } from './host/index.js';
import { Isolation, isolatedStdio, usesIsolation } from './isolation/index.js';
import { configuredSecrets, KeychainMark, KeychainSecretStore, literalSecrets, placeholdersOf, Redactor, Secrets } from './secrets/index.js';
import { CallApprovals, hashTool, homeId, PIN_SCHEME, primeToolHash, scanResources, TRUST_KEYCHAIN_SERVICE, TrustSeal, TrustStore } from './security/index.js';
import { SemanticSearch, type SemanticOptions } from './search/index.js';
import { ServerRegistry, TrustDecisions } from './servers/index.js';
import { ensurePrivateDir, homePaths, type HomePaths } from './state/index.js';
import { Metrics, Tracing } from './telemetry/index.js';
import { UiSessions, WebUi } from './ui/index.js';
import { transportFactory, UpstreamManager, type AuthSlot, type Caller, type FrameTracer } from './upstream/index.js';
import { Visibility } from './visibility/index.js';

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
  /**
   * Search by meaning with the bundled model, loaded in a worker once the host listens (on for `serve` and
   * `stdio`). Options override where the model and the worker script are.
   */
  searchModel?: boolean | Omit<SemanticOptions, 'stateDir'>;
  /** The auth slot of HTTP upstreams (OAuth sign-in plugs in here). */
  auth?: AuthSlot;
  env?: NodeJS.ProcessEnv;
  /**
   * How a client that only spawns processes starts this Gatehouse's stdio bridge: by default this Node and
   * the package's `gatehouse stdio`; the desktop app names its own binary, which cannot run a script.
   */
  stdioBridge?: StdioCommand;
}

export interface StdioCommand {
  command: string;
  args: string[];
}

export type GatehouseEvents = CoreEvents;

/** The most of a call's arguments a person is shown when asked about it. */
const MAX_SHOWN_ARGUMENTS = 100_000;
const SEARCH_TURNED_OFF = 'search by meaning is turned off ("searchByMeaning": false in config.json)';
/** The least time between two writes of the activity log's keychain mark: under steady calls, one a second. */
const ACTIVITY_MARK_GAP_MS = 1_000;

export class Gatehouse extends EventEmitter<CoreEvents> {
  readonly paths: HomePaths;
  /** What the UI and the CLI talk to. */
  readonly admin: AdminService;
  /** What AI clients talk to (over HTTP through the host, or over stdio). */
  readonly gateway: Gateway;
  /** Agents' calls waiting for a person's yes or no. */
  readonly approvals = new CallApprovals();
  /** Every tool call, whoever makes it; `calls.onRecorded` hears each one. */
  readonly calls: CallPipeline;
  /** What every agent and person did, hash-chained on disk. */
  readonly activity: ActivityLog;
  /** Traces over OTLP/HTTP when configured; metrics for Prometheus at /metrics. */
  readonly tracing = new Tracing();
  readonly metrics = new Metrics();
  private stopMetrics: (() => void) | undefined;
  private stopRecording: (() => void) | undefined;
  private readonly redactor = new Redactor();
  private readonly configStore: ConfigStore;
  private readonly catalog: Catalog;
  private readonly trust: TrustStore;
  private readonly upstreams: UpstreamManager;
  private readonly visibility: Visibility;
  private readonly servers: ServerRegistry;
  private readonly secrets: Secrets;
  /** OAuth sign-ins of HTTP servers: tokens in the keychain, refreshed as they are used. */
  readonly signIns: SignIns;
  /** AI clients' config files: connecting them to Gatehouse, bringing their servers along. */
  readonly clients: Clients;
  private readonly clientTokens: ClientTokens;
  private readonly capabilities: ClientCapabilityMemory;
  private readonly host: Host;
  private isolationRuntime: Isolation | undefined;
  private endpoint: McpHttpEndpoint | undefined;
  private gatewayToken = '';
  private readonly webUi = new WebUi(new UiSessions(), () => this.host.port);
  private readonly logLimit = new LogLimit();
  private readonly semantic: SemanticSearch | undefined;
  private searchModelTimer: NodeJS.Timeout | undefined;
  private cachedResourcesTimer: NodeJS.Timeout | undefined;
  /** Per server, the resources last said to be held back: said again only when they change. */
  private readonly heldResourcesSaid = new Map<string, string>();
  private searchModelWanted = false;
  /** Seals trust.json and the tool cache's hashes; read at start. */
  private sealer: TrustSeal | undefined;

  private constructor(private readonly options: GatehouseOptions) {
    super();
    const env = options.env ?? process.env;
    const paths = (this.paths = homePaths(options.home));
    const config = () => this.configStore.config;
    const redact = (text: string) => this.redactor.redact(text);
    this.configStore = new ConfigStore(paths.config);
    this.catalog = new Catalog(new CatalogCache(paths.toolCache, { scheme: PIN_SCHEME, hash: hashTool, prime: primeToolHash, seal: () => this.sealer }));
    this.trust = new TrustStore(paths.trust, paths.pins);
    this.capabilities = new ClientCapabilityMemory(paths.clientCapabilities);
    this.host = new Host(paths, env);
    this.secrets = new Secrets({ config, file: paths.secrets, signInFile: paths.signIns, env, redactor: this.redactor, onSet: (name) => this.startWaitingFor(name) });
    this.signIns = new SignIns({
      store: new SignInStore(() => this.secrets.signIns, (values) => this.redactor.learn(values)),
      config,
      resolve: (server) => this.secrets.resolve(server),
      onChange: (status) => this.onSignInChange(status),
      trace: (name, attributes, work) => this.tracing.inSpan(name, attributes, work, { kind: 'client' }),
    });
    this.clientTokens = new ClientTokens(paths.clientTokens);
    this.clients = new Clients({
      place: () => currentPlace(env),
      dir: paths.clientChanges,
      tokens: this.clientTokens,
      endpoint: (client, token) => ({
        url: `${this.host.url('/mcp') ?? `http://127.0.0.1:${config().port ?? DEFAULT_PORT}/mcp`}/clients/${encodeURIComponent(client)}`,
        token,
        // A client that only spawns processes runs this very Gatehouse's stdio bridge.
        ...this.stdioBridge,
      }),
      servers: {
        exists: (name) => serverEntry(this.configStore.config, name) !== undefined,
        add: (name, server) => this.servers.add(name, server, 'person'),
        works: (name) => this.trust.serverTrust(name) === 'approved' && (this.catalog.get(name)?.tools.length ?? 0) > 0,
      },
      setSecret: (name, value) => this.secrets.set(name, value),
    });
    this.upstreams = new UpstreamManager({
      logDir: paths.logs,
      redact,
      resolve: (server) => this.secrets.resolve(server),
      transports: transportFactory({
        stdio: isolatedStdio({ isolation: () => this.isolation, config, note: (server, text) => this.upstreams.log(server)?.write('gatehouse', text) }),
        auth: options.auth ?? ((name, resolved) => this.signIns.fetchFor(name, resolved)),
        vault: (request) => vaultTransport(new VaultClient(request.resolved.url!, () => loadKeys(paths.vaultKeys), request.resolved.vault!)),
      }),
      signInNeeded: (name) => this.signIns.signInNeeded(name),
      clientCapabilities: () => this.capabilities.current(),
      fallbackCaller: (method, server) => this.gateway.callerFor(method, server),
      // A server no person approved (or one turned off) never reaches the user's model, the user or their roots.
      requestsRefused: (name) =>
        this.visibility.isVisible(name) ? undefined : `Gatehouse passes a server's requests to the AI client only while a person has approved it and it is enabled; "${name}" is ${this.trust.serverTrust(name) === 'approved' ? 'disabled' : this.trust.serverTrust(name)}.`,
      withoutHiddenText: (value) => this.calls.withoutHiddenText(value),
      onNotification: (server, n, caller) => this.onUpstreamNotification(server, n, caller),
      trace: options.trace,
    });
    if (options.searchModel) {
      this.semantic = new SemanticSearch({ ...(options.searchModel === true ? {} : options.searchModel), stateDir: paths.state });
      this.semantic.onStatus((s) => this.emit('search', s));
    }
    this.visibility = new Visibility({
      semantic: this.semantic,
      config,
      catalog: this.catalog,
      trust: this.trust,
      list: (names) => this.upstreams.refresh(names),
      onListsChanged: () => this.gateway.listsChanged(),
    });
    this.servers = new ServerRegistry({
      config: this.configStore,
      trust: this.trust,
      catalog: this.catalog,
      upstreams: this.upstreams,
      visibility: this.visibility,
      beforeApply: (next) => this.redactor.setConfigured(configuredSecrets(next)),
      afterApply: () => {
        this.withdrawStaleApprovals();
        if (options.catalogueNewServers) void this.visibility.catalogueNew();
      },
      keepSecretsOut: (name, server, origin) => this.keepSecretsOut(name, server, origin),
    });
    this.activity = new ActivityLog({ db: paths.activity, head: paths.activityHead }, () => retentionOf(this.configStore.config.activity));
    this.calls = new CallPipeline({
      visibility: this.visibility,
      rule: (server, tool) => this.trust.rule(server, tool),
      upstream: (name) => this.upstreams.get(name),
      askPerson: (call, signal) => this.askPerson(call, signal),
      redact,
      maxResultChars: () => config().maxResultChars,
      removeHiddenText: () => config().removeHiddenText,
      trace: (name, attributes, work, options) => this.tracing.inSpan(name, attributes, work, options),
    });
    this.gateway = new Gateway(
      {
        config,
        catalog: this.catalog,
        visibility: this.visibility,
        calls: this.calls,
        upstream: (name) => this.upstreams.get(name),
        approvedInstructions: (server) => {
          const instructions = this.catalog.get(server)?.instructions;
          return this.trust.instructionsApproved(server, instructions) ? instructions : undefined;
        },
        management: () => this.management(),
        profile: (client) => this.clientTokens.profile(client),
        redact,
        trace: (name, attributes, work, options) => this.tracing.inSpan(name, attributes, work, options),
      },
      (caps) => this.capabilities.learn(caps),
    );
    const adminCore: AdminCore = {
      configPath: paths.config,
      config,
      listedTools: (server) => this.catalog.get(server)?.tools ?? [],
      servers: this.servers,
      decisions: new TrustDecisions({ config, trust: this.trust, catalog: this.catalog, upstreams: this.upstreams, visibility: this.visibility, redact, embed: (texts) => this.semantic?.embed(texts) ?? Promise.resolve(undefined) }),
      visibility: this.visibility,
      calls: this.calls,
      approvals: this.approvals,
      secrets: this.secrets,
      activity: this.activity,
      signIns: this.signIns,
      clients: this.clients,
      vaultKey: {
        get: () => loadKeys(paths.vaultKeys).then((k) => k.public, () => undefined),
        make: async () => {
          const keys = generateKeys();
          await saveKeys(paths.vaultKeys, keys);
          return keys.public;
        },
      },
      updateConfig: (mutate) => this.configStore.update(mutate),
      previewConfig: (mutate) => this.configStore.preview(mutate),
      managementForced: () => (this.options.disableManagement ? 'off' : this.options.readOnly ? 'list' : undefined),
      gateway: {
        stdio: () => this.stdioBridge,
        url: () => this.host.url('/mcp'),
        token: () => this.host.gatewayToken(),
        rotateToken: async () => (this.gatewayToken = await this.host.rotateGatewayToken()),
        unavailableServer: (name) => this.gateway.unavailableServer(name),
      },
      ui: { loginUrl: () => this.uiLoginUrl() },
      images: { digest: (image) => this.isolation.digestOf(image) },
      redact,
      events: this,
    };
    this.admin = new AdminService(adminCore);
  }

  /** The command that starts this Gatehouse's stdio bridge (never `npx gatehouse`, a name npm would fetch). */
  get stdioBridge(): StdioCommand {
    return this.options.stdioBridge ?? { command: process.execPath, args: [findPackageFile(path.join('bin', 'gatehouse.cjs')) ?? 'gatehouse', 'stdio'] };
  }

  /**
   * Serves the gateway on this process's stdin and stdout until the client closes them; with `only`, one
   * approved server alone under its own names. `gatehouse stdio` and the desktop app's bridge both run it.
   */
  async serveStdio(only?: string): Promise<void> {
    this.startSearchModel();
    const { closed } = await serveStdio(this.gateway, { only });
    await closed;
  }

  /** Loads config.json and the tool cache. Starts no upstream server. */
  static async open(options: GatehouseOptions): Promise<Gatehouse> {
    const core = new Gatehouse(options);
    await core.init();
    return core;
  }

  private async init(): Promise<void> {
    await ensurePrivateDir(this.paths.home);
    await ensurePrivateDir(this.paths.state);
    const config = await this.configStore.load();
    await this.capabilities.load();
    await this.clientTokens.load();
    this.sealer = await this.trustSeal();
    await this.trust.load(this.sealer);
    await this.catalog.loadCache(new Set(Object.keys(config.mcpServers)));
    this.upstreams.on('status', (s) => this.emit('status', s));
    this.upstreams.on('log', (l) => this.emit('log', l));
    this.upstreams.on('catalog', (c) => this.catalog.set(c));
    this.upstreams.on('removed', (name) => this.catalog.remove(name));
    this.upstreams.on('removed', (name) => void this.signIns.forget(name).catch(() => undefined));
    this.catalog.on('change', (server, catalog) => this.onCatalogChange(server, catalog));
    this.trust.on('change', (server) => this.onTrustChange(server));
    this.trust.on('changed-outside', (message) => {
      this.recordTrustFileProblem(message);
      this.emit('trust-file-changed', message);
    });
    this.trust.on('write-failed', (err, servers) => {
      for (const server of servers) this.upstreams.log(server)?.write('gatehouse', `Could not save Gatehouse's trust records: ${err.message}`);
    });
    this.tracing.configure(config.telemetry?.otlpEndpoint);
    this.configStore.on('change', (next) => this.tracing.configure(next.telemetry?.otlpEndpoint));
    this.stopMetrics = this.metrics.watch(this.calls, this);
    if (this.secrets.inKeychain) this.activity.keepMark(new KeychainMark(new KeychainSecretStore(TRUST_KEYCHAIN_SERVICE), `activity-${homeId(this.paths.home)}`, ACTIVITY_MARK_GAP_MS));
    this.activity.open();
    this.activity.on('warning', (message) => this.admin.publish({ type: 'notice', payload: { message } }));
    this.stopRecording = recordActivity(this.activity, {
      calls: this.calls,
      events: this,
      trustOf: (server) => {
        if (!serverEntry(this.configStore.config, server)) return undefined;
        const d = this.trust.describe(server);
        return { trust: d.trust, detail: d.reason, byAgent: d.origin === 'agent' && d.trust === 'quarantined' };
      },
      configuredServers: () => Object.keys(this.configStore.config.mcpServers),
      config: () => this.configStore.config,
    });
    if (this.trust.unreadable) this.recordTrustFileProblem(this.trust.unreadable);
    await this.servers.start(config);
    this.configStore.on('change', (next, _previous, own) => void this.servers.settled().then(() => this.emit('config-changed', next, own)));
    this.configStore.on('change', (next) => this.applySearchSetting(next));
    this.configStore.on('change', (next, previous) => {
      if (next.mode !== previous.mode || !next.disableManagement !== !previous.disableManagement) this.gateway.toolListReshaped();
    });
    this.configStore.on('invalid', (err) => this.emit('config-invalid', err));
    if (this.options.watchConfig) {
      this.configStore.watch();
      this.trust.watch();
    }
    // Containers a crashed earlier run left behind; only when some server is isolated, in the background.
    if (usesIsolation(config)) void this.isolation.cleanupLeftovers().catch(() => undefined);
  }

  /** The seal on trust.json, its key in the keychain too when the user's secrets are there. */
  private async trustSeal(): Promise<TrustSeal> {
    const seal = new TrustSeal(this.paths.trustKey, this.secrets.inKeychain ? new KeychainSecretStore(TRUST_KEYCHAIN_SERVICE) : undefined, this.paths.home);
    await seal.open();
    return seal;
  }

  /** The activity record a person hears of at once (`trustFileProblem`): the window and the desktop app tell it. */
  private recordTrustFileProblem(message: string): void {
    this.activity.record({ at: Date.now(), kind: 'trust', actor: 'gatehouse', status: 'invalid', error: message });
  }

  /** What went wrong opening this home that a person should hear of (a trust.json that could not be read). */
  get problems(): string[] {
    return this.trust.unreadable ? [this.trust.unreadable] : [];
  }

  /** The config in force: a snapshot, replaced (never changed) when config.json changes. */
  config(): GatehouseConfig {
    return this.configStore.config;
  }

  /** Scrubs every known secret (and obvious token shapes) from text. */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** Docker, for servers that run in containers (set up on first use). */
  private get isolation(): Isolation {
    this.isolationRuntime ??= new Isolation(
      this.paths.home,
      this.options.env ?? process.env,
      (p) => this.emit('image-pull', p),
      (refusal) => this.emit('egress-refused', refusal),
    );
    return this.isolationRuntime;
  }

  private onTrustChange(server: string): void {
    this.visibility.update();
    this.visibility.serverChanged(server);
    this.withdrawStaleApprovals();
    // A blocked or re-quarantined server stops at once; a newly approved one is listed if it never was.
    if (this.trust.serverTrust(server) !== 'approved') void this.upstreams.get(server)?.disconnect('idle');
    else if (this.options.catalogueNewServers) void this.visibility.catalogueNew();
    this.emit('trust', server);
  }

  /** A server entry's literal secrets go into the secret store before the entry is written; an agent may not replace one. */
  private async keepSecretsOut(name: string, server: ServerConfig, origin: ServerOrigin): Promise<{ server: ServerConfig; stored: string[] }> {
    const taken = literalSecrets(server, name);
    for (const secret of taken.values.keys()) {
      if (origin === 'agent' && (await this.secrets.store.get(secret)) !== undefined) {
        throw new ConfigError(`a secret named "${secret}" is set already, and an agent may not replace it: leave the value out, and the person can set it in Gatehouse`, [], 'conflict');
      }
    }
    for (const [secret, value] of taken.values) await this.secrets.set(secret, value);
    return { server: taken.config, stored: [...taken.values.keys()] };
  }

  /** Calls waiting for a yes whose tool an agent can no longer use leave the list (the agent is told why). */
  private withdrawStaleApprovals(): void {
    this.approvals.withdraw((r) => this.visibility.find(toolId(r.server, r.tool)) !== undefined);
  }

  private onCatalogChange(server: string, catalog: Parameters<TrustStore['observe']>[0] | undefined): void {
    this.upstreams.get(server)?.setKnownCatalog(catalog);
    if (catalog) this.noteWaitingTools(catalog);
    if (catalog?.resources.length) void this.noteHeldResources(catalog);
    this.visibility.serverChanged(server);
    this.emit('catalog', server, catalog);
  }

  /** The scanner reads a listing's static resources in the background; those it flags are held back, and the person told where. */
  private async noteHeldResources(catalog: Parameters<TrustStore['observe']>[0]): Promise<void> {
    const current = () => this.catalog.get(catalog.server) === catalog;
    await scanResources(catalog, current);
    if (!current()) return;
    const held = this.trust.heldResources(catalog);
    const said = held.join('\n');
    if (said === (this.heldResourcesSaid.get(catalog.server) ?? '')) return;
    this.heldResourcesSaid.set(catalog.server, said);
    if (!held.length) return;
    const named = held.slice(0, 5).join(', ') + (held.length > 5 ? ` and ${held.length - 5} more` : '');
    this.upstreams.log(catalog.server)?.write('gatehouse', `Resources the poisoning scanner flagged: ${named}. They are held back from clients until you let them through: gatehouse servers review ${catalog.server}`);
    this.emit('trust', catalog.server);
  }

  /** A listing with new or changed tools: they stay hidden, and the person is told where to look. */
  private noteWaitingTools(catalog: Parameters<TrustStore['observe']>[0]): void {
    const waiting = this.trust.observe(catalog);
    if (!waiting.length) return;
    const changed = waiting.filter((t) => t.trust === 'changed').map((t) => t.name);
    const fresh = waiting.filter((t) => t.trust === 'pending').map((t) => t.name);
    const parts = [
      changed.length ? `changed since you approved them: ${changed.join(', ')}` : '',
      fresh.length ? `new: ${fresh.join(', ')}` : '',
    ].filter(Boolean);
    this.upstreams.log(catalog.server)?.write('gatehouse', `Definitions ${parts.join('; ')}. They are held back until you approve them: gatehouse servers review ${catalog.server}`);
    this.emit('trust', catalog.server);
  }

  /**
   * A server's notification, passed on. A log message written while one call runs goes to the client that
   * made the call alone; others go to every client that may see the server. Log messages are limited.
   */
  private onUpstreamNotification(server: string, n: { method: string; params?: Record<string, unknown> }, caller?: Caller): void {
    if (!this.visibility.isVisible(server)) return;
    if (n.method === 'notifications/message') {
      if (!this.logLimit.admit(server)) return;
      const send = (params: Record<string, unknown>) =>
        caller?.notify ? void caller.notify({ method: n.method, params }).catch(() => undefined) : this.gateway.broadcast(n.method, params, server);
      const dropped = this.logLimit.takeDropped(server);
      if (dropped) send({ level: 'warning', logger: 'gatehouse', data: `${dropped} log messages from "${server}" were dropped: it sent more than Gatehouse passes on` });
      const logger = n.params?.logger ? `${server}/${String(n.params.logger)}` : server;
      send({ ...n.params, logger });
    } else {
      this.gateway.broadcast(n.method, n.params, server);
    }
  }

  /** A server that waits for a sign-in takes up what it now waits for, and starts again once signed in, and lists its tools. */
  private onSignInChange(status: SignInStatus): void {
    this.emit('sign-in', status);
    const server = this.upstreams.get(status.server);
    if (server?.status().state !== 'needs-sign-in') return;
    if (status.state === 'required') return void server.signInReason();
    if (status.state !== 'signed-in') return;
    void server.restart().then(() => server.fetchCatalog().catch(() => undefined));
  }

  /** Servers that were waiting for this secret start now. */
  private async startWaitingFor(name: string): Promise<void> {
    for (const server of this.upstreams.names().map((n) => this.upstreams.get(n)!)) {
      if (server.waitsForSecret && placeholdersOf(server.serverConfig).some((p) => p.kind === 'keyring' && p.name === name)) await server.restart();
    }
  }

  /** Asks the person (UI, notification, CLI) about an agent's call; no answer in time is a no. */
  private askPerson(call: { server: string; tool: string; arguments: Record<string, unknown>; client?: string }, signal?: AbortSignal) {
    const args = this.redactor.redact(JSON.stringify(call.arguments));
    // The person decides on what they are shown: all of it, short of arguments too large to read.
    const shown = args.length > MAX_SHOWN_ARGUMENTS ? `${args.slice(0, MAX_SHOWN_ARGUMENTS)}… [cut: ${args.length - MAX_SHOWN_ARGUMENTS} more characters]` : args;
    return this.approvals.ask({ server: call.server, tool: call.tool, arguments: shown, ...(call.client ? { client: call.client } : {}) }, this.configStore.config.approvalTimeoutSeconds * 1000, signal);
  }

  /** What the gateway's `upstream_servers` tool may do. */
  private management(): Management {
    const config = this.configStore.config;
    return {
      enabled: !(this.options.disableManagement || config.disableManagement),
      readOnly: Boolean(this.options.readOnly || config.readOnly),
      servers: () =>
        Object.entries(this.configStore.config.mcpServers).map(([name, s]) => ({
          name,
          trust: this.trust.serverTrust(name),
          enabled: s.enabled !== false,
          config: s,
          toolCount: this.visibility.usableTools(name).length,
        })),
      add: (name, server) => this.servers.add(name, server, 'agent'),
      update: (name, server) => this.servers.update(name, server, 'agent'),
      remove: (name) => this.servers.remove(name, 'agent'),
    };
  }

  /** A one-time address that signs a browser in to the window; undefined until the host listens. */
  uiLoginUrl(): string | undefined {
    return this.host.listening ? this.webUi.loginUrl() : undefined;
  }

  /**
   * Serves the gateway (`/mcp`), the admin API (`/api`) and the window (`/ui`) on 127.0.0.1 only. Port 0
   * picks a free one. `stdio`: this listener is a client's stdio bridge's own, gone when that client quits.
   */
  async listen(port: number, { stdio = false } = {}): Promise<{ url: string; port: number; token: string }> {
    const token = (this.gatewayToken = await this.host.gatewayToken());
    const adminToken = this.host.adminToken();
    const hostPort = () => this.host.port;
    const endpoint = (this.endpoint = new McpHttpEndpoint(this.gateway, () => this.gatewayToken, hostPort, (token) => this.clientTokens.identify(token)));
    const admin = new AdminHttpAdapter(this.admin, () => adminToken, hostPort, (req) => this.webUi.signedIn(req));
    this.host.route('/mcp', 'the MCP endpoint is', async (req, res, rest) => {
      if (rest === '') return endpoint.handle(req, res);
      // Each endpoint also speaks the 2024-11-05 HTTP+SSE transport: <endpoint>/sse and <endpoint>/messages.
      const legacy = /^(?:(servers|clients)\/([^/]+)\/)?(sse|messages)$/.exec(rest);
      if (legacy) {
        const [, kind, name, part] = legacy;
        const named = name === undefined ? undefined : decodeURIComponent(name);
        return endpoint.handleLegacy(req, res, part as 'sse' | 'messages', kind === 'servers' ? named : undefined, kind === 'clients' ? named : undefined);
      }
      // One server's own endpoint: /mcp/servers/<name>.
      const only = /^servers\/([^/]+)$/.exec(rest)?.[1];
      if (only !== undefined) return endpoint.handle(req, res, decodeURIComponent(only));
      // A connected client's own: /mcp/clients/<id>.
      const client = /^clients\/([^/]+)$/.exec(rest)?.[1];
      if (client !== undefined) return endpoint.handle(req, res, undefined, decodeURIComponent(client));
      sendJson(res, 404, {
        error: 'not_found',
        message: 'The MCP endpoint is /mcp (all servers), /mcp/servers/<name> (one server) or /mcp/clients/<client> (a connected client); for the older HTTP+SSE transport, add /sse',
      });
    });
    this.host.route('/api', 'the admin API', (req, res, method) => admin.handle(req, res, method));
    this.host.serveAdminLocally((req, res) => admin.handleLocal(req, res));
    this.host.route('/ui', 'the window is', (req, res, rest) => this.webUi.handle(req, res, rest));
    this.host.route('/metrics', 'Prometheus metrics are', async (req, res) => {
      const problem = checkLocalRequest(req, hostPort);
      if (problem) return sendJson(res, 403, { error: 'forbidden', message: problem });
      const presented = bearerToken(req);
      if (!(adminToken && tokenMatches(presented, adminToken)) && !tokenMatches(presented, this.gatewayToken)) {
        return sendJson(res, 401, { error: 'unauthorized', message: 'Metrics need a bearer token: the gateway token, or GATEHOUSE_ADMIN_TOKEN when set' });
      }
      res.writeHead(200, { 'content-type': this.metrics.contentType });
      res.end(await this.metrics.text());
    });
    try {
      await this.host.listen(port, { stdio });
    } catch (err) {
      if (err instanceof PortInUse) throw new ConfigError(err.message);
      if (err instanceof AlreadyRunning) throw new ConfigError(err.message, [], 'conflict');
      throw err;
    }
    this.visibility.indexInBackground();
    this.startSearchModel();
    // Listings cached from before: their resources are read by the scanner too, once start-up is done.
    this.cachedResourcesTimer ??= setTimeout(() => {
      for (const catalog of this.catalog.all()) if (catalog.resources.length) void this.noteHeldResources(catalog);
    }, 1000).unref();
    return { url: this.host.url('/mcp')!, port: this.host.port, token };
  }

  /**
   * Loads the search model in its worker, in the background, a second from now: start-up (the first
   * requests, the keyword index) has both cores to itself. Until the model is ready, search uses keywords.
   */
  startSearchModel(afterMs = 1000): void {
    if (!this.semantic) return;
    this.searchModelWanted = true;
    const start = () => {
      if (this.configStore.config.searchByMeaning === false) void this.semantic!.turnOff(SEARCH_TURNED_OFF);
      else this.semantic!.start();
    };
    if (afterMs <= 0) return start();
    this.searchModelTimer ??= setTimeout(start, afterMs).unref();
  }

  /** `searchByMeaning` changed in config.json: the model stops, or starts again. */
  private applySearchSetting(config: GatehouseConfig): void {
    if (!this.semantic || !this.searchModelWanted) return;
    const on = config.searchByMeaning !== false;
    if (!on && this.semantic.status().reason !== SEARCH_TURNED_OFF) void this.semantic.turnOff(SEARCH_TURNED_OFF);
    else if (on && this.semantic.status().reason === SEARCH_TURNED_OFF) this.semantic.start();
  }

  async close(): Promise<void> {
    clearTimeout(this.searchModelTimer);
    clearTimeout(this.cachedResourcesTimer);
    this.stopRecording?.();
    this.stopMetrics?.();
    await this.semantic?.close();
    this.configStore.stop();
    this.trust.stop();
    this.approvals.close();
    this.admin.close();
    await this.endpoint?.close();
    await this.gateway.close();
    await this.host.close();
    await this.upstreams.shutdown();
    await this.catalog.flush();
    await this.trust.flush();
    await this.activity.close();
    await this.tracing.shutdown();
  }
}
