// One upstream MCP server: connects lazily, stops when idle, restarts after a crash with backoff,
// and carries requests both ways (calls down to it; sampling, elicitation and roots back to the
// client that made the call).
import type { CallToolResult, Client, ClientCapabilities, Progress, Transport } from '@modelcontextprotocol/client';
import type { ServerConfig } from '../../../src-shared/config/schema.js';
import type { ServerCatalog } from '../../../src-shared/catalog.js';
import type { ServerStatus, ServerState } from '../../../src-shared/status.js';
import { VERSION } from '../../../src-shared/version.js';
import { backoffDelay } from './backoff.js';
import { describeConnectError } from './connect-error.js';
import { boundListings } from './listing-bound.js';
import type { ServerLog } from './server-log.js';
import { instrument, loadClientSdk, rawChannel, transportKind, type FrameTracer, type StdioHooks, type TransportFactory, type TransportRequest } from './transports.js';
import { isWebPage } from '../../../src-shared/web-page.js';

const METHOD_NOT_FOUND = -32601;

/** An empty list for a list the server turns out not to have; any other error stands. */
function noneIfUnknown(err: unknown): never[] {
  if ((err as { code?: unknown } | null)?.code === METHOD_NOT_FOUND) return [];
  throw err;
}

/** A crashed server is restarted in the background this many times before it waits for the next use. */
const MAX_AUTO_RESTARTS = 5;
/** A server that dies within this long of becoming ready counts as failing to start. */
const STABLE_AFTER_MS = 30_000;
const DEFAULT_START_TIMEOUT_MS = 30_000;

/** The downstream client on whose behalf a request runs: where sampling, elicitation and roots go. */
export interface Caller {
  capabilities?: ClientCapabilities;
  send(request: { method: string; params?: Record<string, unknown> }, options: { signal?: AbortSignal }): Promise<unknown>;
  /** Sends a notification that belongs to this call (a log message written while it runs). */
  notify?(notification: { method: string; params?: Record<string, unknown> }): Promise<void>;
}

export interface UpstreamDeps {
  log: ServerLog;
  /** The config with its placeholders filled in, just before a start; throws MissingSecrets. */
  resolve: (config: ServerConfig) => Promise<ServerConfig>;
  /** Makes the connection: a process, a container, Streamable HTTP or SSE. */
  transports: TransportFactory;
  redact: (text: string) => string;
  /** What the downstream clients have declared; advertised upstream so servers show conditional tools. */
  clientCapabilities: () => ClientCapabilities;
  /** A client to ask when a server request arrives outside any call (e.g. roots/list after connect). */
  fallbackCaller: (method: string, server: string) => Caller | undefined;
  /** Why the server's requests (sampling, elicitation, roots) are not passed on to a client, if they are not. */
  requestsRefused?: (name: string) => string | undefined;
  /** A server's request for the model's completion with hidden text taken out, and what was, if anything. */
  withoutHiddenText?: <T>(value: T) => { answer: T; hidden?: string };
  onStatus: (status: ServerStatus) => void;
  /** Why the server waits for a person to sign in (its requests would fail), if it does. */
  signInNeeded?: (name: string) => string | undefined;
  onCatalog: (catalog: ServerCatalog) => void;
  /** A notification from the server; `caller` when it came while exactly one call was running, so it belongs to that call. */
  onNotification: (server: string, notification: { method: string; params?: Record<string, unknown> }, caller?: Caller) => void;
  trace?: FrameTracer;
  defaults: { callTimeoutSeconds: number; idleTimeoutMinutes: number; maxMessageMB: number; maxListedItems: number };
}

export interface CallOptions {
  caller?: Caller;
  signal?: AbortSignal;
  onprogress?: (progress: Progress) => void;
  _meta?: Record<string, unknown>;
  /** Run the call as a task (the 2025-11-25 tasks extension): the server answers with the task, not the result. */
  task?: Record<string, unknown>;
}

export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly kind: 'disabled' | 'unavailable' | 'timeout' | 'failed' | 'needs-secret' | 'needs-sign-in' | 'cancelled',
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export class UpstreamServer {
  private client: Client | undefined;
  private transport: Transport | undefined;
  private connecting: Promise<Client> | undefined;
  private advertised: ClientCapabilities = {};
  private state: ServerState = 'idle';
  private reason: string | undefined;
  private failures = 0;
  private autoRestarts = 0;
  private retryAt = 0;
  private readySince = 0;
  private stopping = false;
  private inflight = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly callers: Caller[] = [];
  private catalog: ServerCatalog | undefined;
  private listing = 0;

  constructor(
    readonly name: string,
    private config: ServerConfig,
    private readonly deps: UpstreamDeps,
  ) {
    if (config.enabled === false) this.state = 'disabled';
  }

  get serverConfig(): ServerConfig {
    return this.config;
  }

  status(): ServerStatus {
    return {
      name: this.name,
      state: this.state,
      reason: this.reason,
      transport: transportKind(this.config),
      toolCount: this.catalog?.tools.length ?? 0,
      catalogAt: this.catalog?.fetchedAt,
      retryAt: this.retryAt > Date.now() ? this.retryAt : undefined,
    };
  }

  /** The catalog this server last reported (or that was loaded from the cache). */
  setKnownCatalog(catalog: ServerCatalog | undefined): void {
    this.catalog = catalog;
  }

  async connect(): Promise<Client> {
    if (this.state === 'disabled') throw new UpstreamError(`server "${this.name}" is disabled: enable it with \`gatehouse servers enable ${this.name}\``, 'disabled');
    if (this.client && !covers(this.advertised, this.deps.clientCapabilities())) {
      // A client with more capabilities arrived: reconnect (below) so the server sees them; the new
      // connection relists the tools that depend on them.
      await this.disconnect('idle');
    }
    if (this.client) return this.client;
    if (this.connecting) return this.connecting;
    // Waiting for a person: fail at once, whichever client asks, instead of knocking again.
    this.checkSignIn();
    const wait = this.retryAt - Date.now();
    if (wait > 0) {
      throw new UpstreamError(`server "${this.name}" is unavailable: ${this.reason ?? 'it failed'}; next try in ${Math.ceil(wait / 1000)} s`, 'unavailable');
    }
    this.connecting = this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<Client> {
    let resolved: ServerConfig;
    try {
      resolved = await this.deps.resolve(this.config);
    } catch (err) {
      // Not a failure of the server: nothing starts, no backoff; it waits for the secret.
      this.reason = this.deps.redact((err as Error).message);
      this.state = 'needs-secret';
      this.deps.onStatus(this.status());
      throw new UpstreamError(`server "${this.name}" ${this.reason}`, (err as Error).name === 'MissingSecrets' ? 'needs-secret' : 'unavailable');
    }
    this.setState('connecting');
    this.stopping = false;
    const capabilities = this.deps.clientCapabilities();
    const { Client } = await loadClientSdk();
    const client = new Client(
      { name: 'gatehouse', version: VERSION },
      {
        capabilities,
        listChanged: {
          tools: { onChanged: (err, tools) => !err && tools && this.updateCatalog({ tools }) },
          prompts: { onChanged: (err, prompts) => !err && prompts && this.updateCatalog({ prompts }) },
          resources: { onChanged: (err, resources) => !err && resources && this.updateCatalog({ resources }) },
        },
      },
    );
    this.registerServerRequests(client, capabilities);
    boundListings(client, () => this.deps.defaults.maxListedItems);
    let transport: Transport | undefined;
    try {
      transport = await this.createTransport(resolved);
      await connectWithFallback(client, transport, resolved, () => this.createTransport(resolved, 'sse'), this.startTimeoutMs());
    } catch (err) {
      await transport?.close().catch(() => undefined);
      this.checkSignIn();
      const reason = this.explain(err);
      this.fail(reason);
      throw new UpstreamError(`server "${this.name}" could not be started: ${reason}`, 'failed');
    }
    this.client = client;
    this.advertised = capabilities;
    this.readySince = Date.now();
    this.retryAt = 0;
    this.reason = undefined;
    client.onclose = () => this.onDropped(client);
    this.setState('ready');
    this.deps.log.write('gatehouse', `connected (${client.getServerVersion()?.name ?? 'unknown'} ${client.getServerVersion()?.version ?? ''})`.trim());
    this.scheduleIdle();
    // Started for a call: refresh the cached catalog in the background while it is up anyway.
    if (this.listing === 0) setImmediate(() => void this.fetchCatalog().catch(() => undefined));
    return client;
  }

  private exitNote: string | undefined;

  /** When the server's sign-in needs a person: it waits (no backoff, no retries) and the caller is told how. */
  private checkSignIn(): void {
    const reason = this.signInReason();
    if (reason) throw new UpstreamError(`server "${this.name}": ${reason}`, 'needs-sign-in');
  }

  /** Takes up what its sign-in now waits for (a failed sign-in may have found it wants a key); returns it. */
  signInReason(): string | undefined {
    const reason = this.deps.signInNeeded?.(this.name);
    if (!reason) return undefined;
    if (this.state !== 'needs-sign-in' || this.reason !== reason) {
      this.state = 'needs-sign-in';
      this.reason = reason;
      this.deps.log.write('gatehouse', reason);
      this.deps.onStatus(this.status());
      if (this.client) void this.disconnect('idle');
    }
    return reason;
  }

  private async createTransport(resolved: ServerConfig, kind = transportKind(resolved)): Promise<Transport> {
    this.exitNote = undefined;
    const hooks: StdioHooks = {
      onStderrLine: (line) => this.deps.log.write('stderr', line),
      onExit: (code, signal) => {
        this.exitNote = signal ? `killed by ${signal}` : `exit code ${code}`;
      },
    };
    const maxMessageBytes = Math.round(this.deps.defaults.maxMessageMB * 1024 * 1024);
    const request: TransportRequest = { name: this.name, kind, config: this.config, resolved, hooks, maxMessageBytes };
    return this.instrument(await this.deps.transports.create(request));
  }

  private instrument(transport: Transport): Transport {
    this.transport = transport;
    return instrument(transport, this.deps.trace);
  }

  private registerServerRequests(client: Client, capabilities: ClientCapabilities): void {
    const forward = (method: string) => async (request: { method: string; params?: unknown }, ctx: { mcpReq: { signal: AbortSignal } }) => {
      const refused = this.deps.requestsRefused?.(this.name);
      if (refused) {
        this.deps.log.write('gatehouse', `asked the client for ${method}: refused. ${refused}`);
        throw new Error(refused);
      }
      let params = request.params as Record<string, unknown> | undefined;
      if ((method === 'sampling/createMessage' || method === 'elicitation/create') && this.deps.withoutHiddenText) {
        // What it asks the model, or the person, goes on as the person sees it: a client shows them what it
        // can draw, and may hand the rest to its model (to sample, or to fill in a form).
        const { answer, hidden } = this.deps.withoutHiddenText(params);
        if (hidden) this.deps.log.write('gatehouse', `asked the client for ${method}: ${hidden}`);
        params = answer;
      }
      if (method === 'elicitation/create' && params?.mode === 'url' && !isWebPage(String(params.url))) {
        this.deps.log.write('gatehouse', `asked the user to open ${JSON.stringify(String(params.url).slice(0, 200))}: refused, not a web page`);
        throw new Error('Gatehouse passes on only addresses of web pages (https) for the user to open');
      }
      const caller = this.callers.at(-1) ?? this.deps.fallbackCaller(method, this.name);
      if (!caller) {
        this.deps.log.write('gatehouse', `asked the client for ${method}: no connected client can answer it`);
        throw new Error(`no connected client can answer ${method} for server "${this.name}"`);
      }
      return caller.send({ method, params: attributed(method, this.name, params) }, { signal: ctx.mcpReq.signal });
    };
    // The handlers' result types are checked by the SDK against the method's schema on the way out.
    const set = client.setRequestHandler.bind(client) as (m: string, h: ReturnType<typeof forward>) => void;
    if (capabilities.sampling) set('sampling/createMessage', forward('sampling/createMessage'));
    if (capabilities.elicitation) set('elicitation/create', forward('elicitation/create'));
    if (capabilities.roots) set('roots/list', forward('roots/list'));
    const notify = (method: string) =>
      client.setNotificationHandler(method as 'notifications/message', (n) =>
        this.deps.onNotification(this.name, n as { method: string; params?: Record<string, unknown> }, this.callers.length === 1 ? this.callers[0] : undefined),
      );
    notify('notifications/message');
    notify('notifications/resources/updated');
  }

  /**
   * Lists tools, prompts and resources, connecting if needed. Some servers declare prompts or resources
   * and then answer their lists "method not found": they have none, and their tools are listed all the same.
   */
  async fetchCatalog(timeoutMs = DEFAULT_START_TIMEOUT_MS): Promise<ServerCatalog> {
    this.listing++;
    return this.run(async (client) => {
      const caps = client.getServerCapabilities() ?? {};
      const opts = { timeout: timeoutMs };
      const [tools, prompts, resources, templates] = await Promise.all([
        caps.tools ? client.listTools(undefined, opts).then((r) => r.tools) : [],
        caps.prompts ? client.listPrompts(undefined, opts).then((r) => r.prompts, noneIfUnknown) : [],
        caps.resources ? client.listResources(undefined, opts).then((r) => r.resources, noneIfUnknown) : [],
        caps.resources ? client.listResourceTemplates(undefined, opts).then((r) => r.resourceTemplates, () => []) : [],
      ]).catch((err: unknown) => Promise.reject(listingError(err)));
      const info = client.getServerVersion();
      const catalog: ServerCatalog = {
        server: this.name,
        tools: tools as ServerCatalog['tools'],
        prompts: prompts as ServerCatalog['prompts'],
        resources: resources as ServerCatalog['resources'],
        resourceTemplates: templates as ServerCatalog['resourceTemplates'],
        instructions: client.getInstructions(),
        serverInfo: info ? { name: info.name, version: info.version } : undefined,
        fetchedAt: Date.now(),
      };
      this.catalog = catalog;
      this.deps.onCatalog(catalog);
      return catalog;
    }).finally(() => this.listing--);
  }

  private updateCatalog(part: Partial<Pick<ServerCatalog, 'tools' | 'prompts' | 'resources'>>): void {
    const base: ServerCatalog = this.catalog ?? { server: this.name, tools: [], prompts: [], resources: [], resourceTemplates: [], fetchedAt: 0 };
    this.catalog = { ...base, ...(part as Partial<ServerCatalog>), fetchedAt: Date.now() };
    this.deps.onCatalog(this.catalog);
  }

  async callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions = {}): Promise<CallToolResult> {
    if (options.task) {
      const params = { name, arguments: args, task: options.task, ...(options._meta ? { _meta: options._meta } : {}) };
      return (await this.rawRequest('tools/call', params, options)) as CallToolResult;
    }
    return this.run(
      (client) =>
        client.callTool(
          { name, arguments: args, ...(options._meta ? { _meta: options._meta } : {}) },
          {
            signal: options.signal,
            onprogress: options.onprogress,
            timeout: this.callTimeoutMs(),
            resetTimeoutOnProgress: true,
          },
        ) as Promise<CallToolResult>,
      options.caller,
      options.signal,
    );
  }

  /** Any other request (prompts/get, resources/read, completion/complete, subscribe …) passed through as is. */
  async request(method: string, params: Record<string, unknown> | undefined, options: CallOptions = {}): Promise<unknown> {
    if (method.startsWith('tasks/')) return this.rawRequest(method, params, options);
    return this.run(
      (client) =>
        (client.request as (r: { method: string; params?: Record<string, unknown> }, o: object) => Promise<unknown>)(
          { method, params },
          { signal: options.signal, onprogress: options.onprogress, timeout: this.callTimeoutMs(), resetTimeoutOnProgress: true },
        ),
      options.caller,
      options.signal,
    );
  }

  /** A request the SDK's client will not carry (the tasks extension), sent on the connection directly. */
  private rawRequest(method: string, params: Record<string, unknown> | undefined, options: CallOptions): Promise<unknown> {
    return this.run(async () => {
      const channel = this.transport && rawChannel(this.transport);
      if (!channel) throw new UpstreamError(`server "${this.name}" is not connected`, 'unavailable');
      return channel.request({ method, params }, { timeoutMs: this.callTimeoutMs(), signal: options.signal });
    }, options.caller, options.signal);
  }

  private startTimeoutMs(): number {
    return (this.config.startTimeoutSeconds ?? DEFAULT_START_TIMEOUT_MS / 1000) * 1000;
  }

  private callTimeoutMs(): number {
    return (this.config.callTimeoutSeconds ?? this.deps.defaults.callTimeoutSeconds) * 1000;
  }

  /** Runs `fn` on a connected client, keeping the server from idling out meanwhile. */
  private async run<T>(fn: (client: Client) => Promise<T>, caller?: Caller, signal?: AbortSignal): Promise<T> {
    this.inflight++;
    clearTimeout(this.idleTimer);
    if (caller) this.callers.push(caller);
    try {
      const client = await this.connect();
      return await fn(client);
    } catch (err) {
      if (err instanceof UpstreamError) throw err;
      // The client gave up on it: neither the server's failure nor its timeout, whatever the error's words.
      if (signal?.aborted) throw new UpstreamError(`The client cancelled the call to server "${this.name}" before it finished`, 'cancelled');
      this.checkSignIn();
      if (isTimeout(err)) throw new UpstreamError(`server "${this.name}" did not answer within ${Math.round(this.callTimeoutMs() / 1000)} s`, 'timeout');
      throw err;
    } finally {
      if (caller) this.callers.splice(this.callers.lastIndexOf(caller), 1);
      this.inflight--;
      this.scheduleIdle();
    }
  }

  private scheduleIdle(): void {
    clearTimeout(this.idleTimer);
    const minutes = this.config.idleTimeoutMinutes ?? this.deps.defaults.idleTimeoutMinutes;
    if (!this.client || this.inflight > 0 || minutes <= 0) return;
    this.idleTimer = setTimeout(() => {
      if (this.inflight === 0) {
        this.deps.log.write('gatehouse', `stopped after ${minutes} min idle`);
        void this.disconnect('idle');
      }
    }, minutes * 60_000);
    this.idleTimer.unref();
  }

  private onDropped(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.transport = undefined;
    clearTimeout(this.idleTimer);
    if (this.stopping) return;
    const note = this.exitNote ? ` (${this.exitNote})` : '';
    const stderr = this.deps.log.reasonInStderr();
    if (Date.now() - this.readySince >= STABLE_AFTER_MS) {
      // It ran fine for a while: this is a fresh problem, not part of a crash loop.
      this.failures = 0;
      this.autoRestarts = 0;
    }
    // The first drop may reconnect at once (on the next call); repeated quick deaths back off.
    this.fail(`exited unexpectedly${note}${stderr ? `: ${stderr}` : ''}`, this.failures === 0);
  }

  /**
   * Records a failed start or a crash. The next start waits out an exponential backoff (none after a
   * first drop); a server that once worked is also restarted in the background, a bounded number of times.
   */
  private fail(reason: string, immediate = false): void {
    this.failures++;
    const delay = immediate ? 0 : backoffDelay(this.failures);
    this.retryAt = Date.now() + delay;
    this.reason = reason;
    this.deps.log.write('gatehouse', immediate ? `${reason}; reconnects on next use` : `${reason}; retry in ${Math.round(delay / 1000)} s`);
    this.setState('error');
    clearTimeout(this.restartTimer);
    if (this.autoRestarts < MAX_AUTO_RESTARTS && this.readySince > 0) {
      this.autoRestarts++;
      this.restartTimer = setTimeout(() => void this.connect().catch(() => undefined), Math.max(delay, backoffDelay(1)) + 10);
      this.restartTimer.unref();
    }
  }

  private explain(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    const stderr = this.deps.log.reasonInStderr();
    const exited = this.exitNote ? ` (${this.exitNote})` : '';
    if (/Connection closed|process is not running/i.test(message) && stderr) return `the process ended${exited}: ${stderr}`;
    if (isTimeout(err)) return `no answer to initialize within ${this.startTimeoutMs() / 1000} s (startTimeoutSeconds)`;
    const unreachable = this.config.url ? describeConnectError(err, this.config.url) : undefined;
    if (unreachable) return unreachable;
    // Errors from HTTP clients can quote the URL or headers, which may hold a secret.
    return this.deps.redact(message + exited);
  }

  private setState(state: ServerState): void {
    this.state = state;
    if (state !== 'error') this.reason = undefined;
    this.deps.onStatus(this.status());
  }

  /** Closes the connection on purpose (idle, disable, shutdown). */
  async disconnect(next: 'idle' | 'disabled' = 'idle'): Promise<void> {
    clearTimeout(this.idleTimer);
    clearTimeout(this.restartTimer);
    this.stopping = true;
    // A start still under way is cut short rather than waited for.
    if (this.connecting) await this.transport?.close().catch(() => undefined);
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    this.transport = undefined;
    await client?.close().catch(() => undefined);
    if (next === 'disabled' || !['error', 'needs-sign-in'].includes(this.state)) this.setState(next);
  }

  /** Stops the server and forgets past failures, so its next start is immediate. */
  async restart(): Promise<void> {
    await this.disconnect(this.config.enabled === false ? 'disabled' : 'idle');
    this.failures = 0;
    this.autoRestarts = 0;
    this.retryAt = 0;
    if (this.state === 'error' || this.state === 'needs-secret' || this.state === 'needs-sign-in') this.setState('idle');
  }

  get waitsForSecret(): boolean {
    return this.state === 'needs-secret';
  }

  /** Applies an edited config: reconnects only when something that matters to the connection changed. */
  async reconfigure(config: ServerConfig): Promise<void> {
    const before = JSON.stringify({ ...this.config, description: undefined });
    const after = JSON.stringify({ ...config, description: undefined });
    this.config = config;
    if (config.enabled === false) return this.disconnect('disabled');
    if (this.state === 'disabled') {
      this.failures = 0;
      this.retryAt = 0;
      this.setState('idle');
    }
    if (before !== after) {
      this.failures = 0;
      this.retryAt = 0;
      await this.disconnect('idle');
    }
  }

  get isConnected(): boolean {
    return this.client !== undefined;
  }

  /** The process id of a connected stdio server. */
  get pid(): number | undefined {
    return this.client ? (this.transport as { pid?: number } | undefined)?.pid : undefined;
  }
}

/** Does `had` declare every capability `want` declares (top level)? */
function covers(had: ClientCapabilities, want: ClientCapabilities): boolean {
  return Object.keys(want).every((k) => k in had);
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && /timed? ?out|RequestTimeout/i.test(`${err.name} ${err.message} ${(err as { code?: unknown }).code ?? ''}`);
}

/**
 * Connects, and for a `url` without an explicit type, falls back from Streamable HTTP to legacy SSE
 * when the server does not speak the former.
 */
async function connectWithFallback(client: Client, transport: Transport, config: ServerConfig, sseTransport: () => Promise<Transport>, timeout: number): Promise<void> {
  try {
    await client.connect(transport, { timeout });
  } catch (err) {
    if (config.type || !config.url) throw err;
    await transport.close().catch(() => undefined);
    const sse = await sseTransport();
    try {
      await client.connect(sse, { timeout });
    } catch {
      // A failed SSE attempt would otherwise keep reconnecting (and keep the process alive).
      await sse.close().catch(() => undefined);
      throw err;
    }
  }
}

/** A listing nested too deep for the SDK to check overflows its stack: say so, rather than name the stack. */
function listingError(err: unknown): unknown {
  return err instanceof RangeError && /call stack/i.test(err.message)
    ? new Error('its listing nests too deep to read (a schema nested hundreds of levels deep); its authors must flatten it')
    : err;
}

/**
 * A question a server puts to the user goes out under Gatehouse's name, whichever server asked: its message
 * says which, so the person can judge what they are asked for (a password, a page to open) and by whom.
 */
function attributed(method: string, server: string, params: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (method !== 'elicitation/create' || !params || typeof params.message !== 'string') return params;
  return { ...params, message: `The server "${server}" asks: ${params.message}` };
}
