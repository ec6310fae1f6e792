// The face AI clients see: one MCP server per client session, routing every request to the right
// upstream and every upstream notification back to the clients.
import { randomUUID } from 'node:crypto';
import {
  Server,
  type CallToolResult,
  type ClientCapabilities,
  type JSONRPCRequest,
  type Result,
  type ServerContext,
  type Tool,
  UriTemplate,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { parseToolId, toolId } from '../../../src-shared/ids.js';
import { VERSION } from '../../../src-shared/version.js';
import type { ToolDefinition } from '../../../src-shared/catalog.js';
import { text, type Caller as Requester } from '../calls/index.js';
import type { Caller, CallOptions } from '../upstream/index.js';
import { readCallToolInput } from './call-args.js';
import type { GatewayCore } from './core-view.js';
import { InputRounds, type RoundContext } from './input-rounds.js';
import { describeTool, META_TOOLS, searchTools } from './meta-tools.js';
import { scopedVisibility, type VisibleSet } from '../visibility/index.js';
import { manageServers, MANAGEMENT_TOOL } from './management.js';

interface Session {
  /** Gatehouse's own name for this client session (in activity records). */
  id: string;
  server: Server;
  capabilities?: ClientCapabilities;
  /** The client as it introduced itself ("name version"). */
  client?: string;
  /** A session of one server's own endpoint: its tools, prompts and resources under their own names. */
  only?: string;
  /** What this session may see: every visible server, or those of its client's profile. */
  view: VisibleSet;
  /** Its client is limited to some servers: no server management, and notifications of its servers only. */
  limited?: (server: string) => boolean;
  /** Whose tasks it may see: the client whose token it presented (or whose endpoint it used), else '' (the gateway's token). */
  requestor: string;
}

type Params = Record<string, unknown> | undefined;
type Ctx = {
  mcpReq: {
    envelope?: Record<string, unknown>;
    inputResponses?: Record<string, unknown>;
    requestState: <T = unknown>() => T | undefined;
    signal: AbortSignal;
    _meta?: Record<string, unknown>;
    send: (r: { method: string; params?: Record<string, unknown> }, o?: { signal?: AbortSignal }) => Promise<unknown>;
    notify: (n: { method: string; params?: Record<string, unknown> }) => Promise<void>;
  };
};

/** A change a 2026-07-28 client hears on its `subscriptions/listen` stream. */
export type ChangeEvent =
  | { kind: 'tools_list_changed' | 'prompts_list_changed' | 'resources_list_changed' }
  | { kind: 'resource_updated'; uri: string };

/**
 * Who may hear a change: `from` the server it concerns (every endpoint when absent); `scopedOnly` when only
 * a server's own endpoint lists tools that changed (search mode's meta-tools never change).
 */
export type ChangeListener = (event: ChangeEvent, audience: { from?: string; scopedOnly?: boolean }) => void;

const CHANGE_KINDS: Record<string, ChangeEvent['kind']> = {
  'notifications/tools/list_changed': 'tools_list_changed',
  'notifications/prompts/list_changed': 'prompts_list_changed',
  'notifications/resources/list_changed': 'resources_list_changed',
  'notifications/resources/updated': 'resource_updated',
};

/**
 * The gateway's MCP server. A call run as a task (the 2025-11-25 tasks extension) answers with the task
 * rather than a tool result, which the SDK's tools/call result check would refuse: that answer passes as the
 * upstream gave it.
 */
class GatewayServer extends Server {
  protected override _wrapHandler(
    method: string,
    handler: (request: JSONRPCRequest, ctx: ServerContext) => Promise<Result>,
  ): (request: JSONRPCRequest, ctx: ServerContext) => Promise<Result> {
    const checked = super._wrapHandler(method, handler);
    if (method !== 'tools/call') return checked;
    return (request, ctx) => ((request.params as { task?: unknown } | undefined)?.task !== undefined ? handler(request, ctx) : checked(request, ctx));
  }
}

export class Gateway {
  private readonly sessions = new Set<Session>();
  private readonly changeListeners = new Set<ChangeListener>();
  /** Which server runs each task a client started through Gatehouse (the 2025-11-25 tasks extension). */
  /** Tasks started through Gatehouse: the server running each, and the client that started it. */
  private readonly taskOwners = new Map<string, { server: string; requestor: string }>();
  /** Upstream resource subscriptions held for listen streams: `<server>\0<uri>` → how many streams want it. */
  private readonly upstreamSubscriptions = new Map<string, number>();
  /** Server requests to 2026-07-28 clients, as input_required rounds. */
  private readonly rounds = new InputRounds();

  constructor(
    private readonly core: GatewayCore,
    private readonly onClientCapabilities: (caps: ClientCapabilities) => void = () => undefined,
  ) {}

  /**
   * A new MCP server for one client session; connect it to that session's transport. With `only`, the
   * session sees that one server alone, under its own names (no meta-tools, no prefixes).
   */
  createSession(only?: string, connected?: string): Server {
    const profile = connected ? this.core.profile?.(connected) : undefined;
    const server = new GatewayServer(
      { name: 'gatehouse', version: VERSION },
      {
        capabilities: {
          tools: { listChanged: true },
          prompts: { listChanged: true },
          resources: { subscribe: true, listChanged: true },
          completions: {},
          logging: {},
          tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
        },
        instructions: only
          ? this.core.approvedInstructions(only)
          : 'Gatehouse connects you to many MCP servers. Use search_tools to find a tool for the task, then call_tool with its id.',
        requestState: { verify: this.rounds.verify },
      },
    );
    // The profile is asked each time, so a change to it applies to sessions already open.
    const allow = profile && ((name: string) => this.core.profile?.(connected!)?.has(name) ?? true);
    const view = allow ? scopedVisibility(this.core.visibility, allow) : this.core.visibility;
    const session: Session = { id: randomUUID().slice(0, 8), server, view, requestor: connected ?? '', ...(only ? { only } : {}), ...(allow ? { limited: allow } : {}) };
    server.oninitialized = () => {
      session.capabilities = server.getClientCapabilities();
      session.client = clientName(session);
      if (session.capabilities) this.onClientCapabilities(session.capabilities);
    };
    server.onclose = () => this.sessions.delete(session);
    this.sessions.add(session);
    this.registerHandlers(server, session);
    return server;
  }

  /**
   * A connected client that declared the capability `method` needs, for a request `server` sends outside any
   * call: only one that may hear of that server (its profile, or the server's own endpoint, allows it).
   */
  callerFor(method: string, server: string): Caller | undefined {
    const needed = method.startsWith('roots') ? 'roots' : method.startsWith('sampling') ? 'sampling' : 'elicitation';
    for (const s of this.sessions) {
      if ((s.only && s.only !== server) || (s.limited && !s.limited(server))) continue;
      if (s.capabilities && Object.hasOwn(s.capabilities, needed)) {
        return {
          capabilities: s.capabilities,
          send: (request, options) => (s.server.request as (r: object, o: object) => Promise<unknown>)(request, options),
        };
      }
    }
    return undefined;
  }

  /**
   * Subscribes the server that owns `uri` to its updates for a `subscriptions/listen` stream of a 2026-07-28
   * client (which sends no `resources/subscribe`); the returned function releases it when the stream ends.
   */
  async subscribeUpstream(uri: string, only?: string): Promise<() => void> {
    await this.core.visibility.catalogued();
    const among = only === undefined ? this.core.visibility.servers() : this.core.visibility.isVisible(only) ? [only] : [];
    let server: string;
    try {
      server = this.serverForUri(uri, among);
    } catch {
      return () => undefined;
    }
    // A resource held back is not there for the client: nothing of it is heard either.
    if (this.core.visibility.resourceUnavailable(server, uri)) return () => undefined;
    const key = `${server}\0${uri}`;
    const holders = this.upstreamSubscriptions.get(key) ?? 0;
    this.upstreamSubscriptions.set(key, holders + 1);
    if (holders === 0) await this.core.upstream(server)?.request('resources/subscribe', { uri }).catch(() => undefined);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.upstreamSubscriptions.get(key) ?? 1) - 1;
      if (left > 0) return void this.upstreamSubscriptions.set(key, left);
      this.upstreamSubscriptions.delete(key);
      void this.core.upstream(server)?.request('resources/unsubscribe', { uri }).catch(() => undefined);
    };
  }

  /** Hears list and resource changes, for clients that listen without a session (2026-07-28). */
  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private emitChange(event: ChangeEvent, audience: { from?: string; scopedOnly?: boolean }): void {
    for (const listener of this.changeListeners) listener(event, audience);
  }

  /** Sends a notification to every connected client (with `from`, only to those that may see that server). */
  broadcast(method: string, params?: Record<string, unknown>, from?: string): void {
    for (const s of this.sessions) {
      if (s.only && from !== undefined && s.only !== from) continue;
      if (s.limited && from !== undefined && !s.limited(from)) continue;
      void s.server.notification({ method, params } as never).catch(() => undefined);
    }
    const kind = Object.hasOwn(CHANGE_KINDS, method) ? CHANGE_KINDS[method] : undefined;
    if (kind === 'resource_updated') {
      if (typeof params?.uri === 'string') this.emitChange({ kind, uri: params.uri }, { from });
    } else if (kind) {
      this.emitChange({ kind }, { from, scopedOnly: kind === 'tools_list_changed' && this.core.config().mode !== 'direct' });
    }
  }

  /** What agents may see changed: tool lists change for sessions that list tools themselves. */
  listsChanged(): void {
    const direct = this.core.config().mode === 'direct';
    for (const s of this.sessions) {
      const notify = (method: string) => void s.server.notification({ method } as never).catch(() => undefined);
      if (direct || s.only) notify('notifications/tools/list_changed');
      notify('notifications/prompts/list_changed');
      notify('notifications/resources/list_changed');
    }
    this.emitChange({ kind: 'tools_list_changed' }, { scopedOnly: !direct });
    this.emitChange({ kind: 'prompts_list_changed' }, {});
    this.emitChange({ kind: 'resources_list_changed' }, {});
  }

  /**
   * The tool list itself took another shape (the gateway's mode, or whether the tool that manages servers
   * is offered, changed): every client, whatever it lists, lists again.
   */
  toolListReshaped(): void {
    for (const s of this.sessions) void s.server.notification({ method: 'notifications/tools/list_changed' } as never).catch(() => undefined);
    this.emitChange({ kind: 'tools_list_changed' }, {});
  }

  /** Whether a connected client may hear of a server (it is in its profile, or it has none). */
  mayHear(client: string, server: string): boolean {
    return this.core.profile?.(client)?.has(server) ?? true;
  }

  private managementFor(session: Session): boolean {
    return this.core.management().enabled && !session.limited;
  }

  /** Why a server's own endpoint cannot be served, in words for the client; undefined when it can. */
  unavailableServer(name: string): string | undefined {
    if (this.core.visibility.isVisible(name)) return undefined;
    return this.core.visibility.unavailable(name) ?? `No server "${name}" is configured in Gatehouse.`;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  async close(): Promise<void> {
    this.rounds.close();
    await Promise.all([...this.sessions].map((s) => s.server.close().catch(() => undefined)));
    this.sessions.clear();
  }

  private registerHandlers(server: Server, session: Session): void {
    const register = server.setRequestHandler.bind(server) as (method: string, handler: (req: { params?: Params }, ctx: Ctx) => Promise<unknown>) => void;
    // A 2026-07-28 client never initializes: what it can do (sampling, elicitation, roots) comes with each request.
    const on = (method: string, handler: (req: { params?: Params }, ctx: Ctx) => Promise<unknown>) =>
      register(method, (req, ctx) => {
        const declared = InputRounds.capabilities(ctx as RoundContext);
        if (declared) this.onClientCapabilities(declared);
        const trace = this.core.trace;
        if (!trace) return handler(req, ctx);
        const meta = (req.params as { _meta?: { traceparent?: unknown } } | undefined)?._meta;
        const name = (req.params as { name?: unknown } | undefined)?.name;
        const attributes: Record<string, string> = { 'mcp.method': method, ...(typeof name === 'string' ? { 'mcp.name': name } : {}), ...((session.client ??= clientName(session)) ? { 'mcp.client': session.client } : {}) };
        return trace(`mcp ${method}`, attributes, () => handler(req, ctx), { traceparent: meta?.traceparent, kind: 'server' });
      });
    // Requests during which an upstream may ask the client something: for a 2026-07-28 client, as rounds.
    type Handler = (req: { params?: Params }, ctx: Ctx) => Promise<unknown>;
    const rounds =
      (handler: Handler): Handler =>
      (req, ctx) =>
        InputRounds.isModern(ctx as RoundContext) ? this.rounds.run(ctx as RoundContext, (inner) => handler(req, inner as Ctx)) : handler(req, ctx);

    // Names as the session sees them: `<server>__<name>`, or a server's own names on its own endpoint.
    const servers = () => (session.only ? (session.view.isVisible(session.only) ? [session.only] : []) : session.view.servers());
    const named = (s: string, name: string) => (session.only ? name : toolId(s, name));
    const parse = (name: string) => (session.only ? { server: session.only, tool: name } : parseToolId(name));

    on('tools/list', async () => {
      if (session.only) {
        await session.view.listIfNew(session.only);
        return { tools: servers().flatMap((s) => session.view.usableTools(s)) };
      }
      if (this.core.config().mode === 'direct') await session.view.catalogued();
      return { tools: this.listTools(session) };
    });
    on(
      'tools/call',
      rounds(async (req, ctx) => {
        await session.view.catalogued();
        const params = (req.params ?? {}) as { name: string; arguments?: Record<string, unknown>; task?: Record<string, unknown> };
        const task = params.task && typeof params.task === 'object' ? params.task : undefined;
        if (session.only) return this.callThrough(toolId(session.only, String(params.name)), params.arguments ?? {}, ctx, session, { task });
        return this.callTool(params.name, params.arguments ?? {}, ctx, session, task);
      }),
    );

    on('prompts/list', async () => {
      await session.view.catalogued();
      return { prompts: servers().flatMap((s) => session.view.prompts(s).map((p) => ({ ...p, name: named(s, p.name) }))) };
    });
    on(
      'prompts/get',
      rounds(async (req, ctx) => {
        const parsed = parse(String(req.params?.name ?? ''));
        if (!parsed) throw new Error(`no prompt "${String(req.params?.name)}"`);
        const unavailable = session.view.promptUnavailable(parsed.server, parsed.tool);
        if (unavailable) throw new Error(unavailable);
        return this.forwardRead(session, { kind: 'prompt', server: parsed.server, name: parsed.tool }, 'prompts/get', { ...req.params, name: parsed.tool }, ctx);
      }),
    );

    on('resources/list', async () => {
      await session.view.catalogued();
      return { resources: (await Promise.all(servers().map((s) => session.view.resources(s)))).flat() };
    });
    on('resources/templates/list', async () => {
      await session.view.catalogued();
      return { resourceTemplates: servers().flatMap((s) => session.view.resourceTemplates(s)) };
    });
    for (const method of ['resources/read', 'resources/subscribe', 'resources/unsubscribe']) {
      const handler: Handler = async (req, ctx) => {
        const uri = String(req.params?.uri ?? '');
        const server = this.serverForUri(uri, servers());
        const withheld = session.view.resourceUnavailable(server, uri);
        if (withheld) throw new Error(withheld);
        if (method === 'resources/read') return this.forwardRead(session, { kind: 'resource', server, name: uri }, method, req.params, ctx);
        return this.forward(server, method, req.params, ctx);
      };
      on(method, method === 'resources/read' ? rounds(handler) : handler);
    }

    on('completion/complete', async (req, ctx) => {
      const ref = (req.params?.ref ?? {}) as { type?: string; name?: string; uri?: string };
      if (ref.type === 'ref/prompt') {
        const parsed = parse(ref.name ?? '');
        if (!parsed || session.view.promptUnavailable(parsed.server, parsed.tool)) return { completion: { values: [] } };
        return this.forward(parsed.server, 'completion/complete', { ...req.params, ref: { ...ref, name: parsed.tool } }, ctx);
      }
      return this.forward(this.serverForUri(ref.uri ?? '', servers()), 'completion/complete', req.params, ctx);
    });

    this.registerTaskHandlers(server, servers, session.requestor);

    on('logging/setLevel', async (req) => {
      for (const s of servers()) {
        const up = this.core.upstream(s);
        if (up?.isConnected) void up.request('logging/setLevel', req.params).catch(() => undefined);
      }
      return {};
    });
  }

  /**
   * The tasks extension (2025-11-25): a task's status, result and cancellation go to the server running it;
   * the list is every task started through Gatehouse that its server still knows. A task is its client's:
   * another client, with a token of its own, neither sees nor reaches it.
   */
  private registerTaskHandlers(server: Server, servers: () => string[], requestor: string): void {
    const register = server.setRequestHandler.bind(server) as unknown as (
      method: string,
      schemas: { params: z.ZodType },
      handler: (params: Record<string, unknown>, ctx: Ctx) => Promise<unknown>,
    ) => void;
    const byId = z.looseObject({ taskId: z.string() });
    for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel']) {
      register(method, { params: byId }, async (params, ctx) => {
        const owner = this.taskOwners.get(String(params.taskId));
        if (!owner || owner.requestor !== requestor || !servers().includes(owner.server)) throw new Error(`No task "${String(params.taskId)}" was started through Gatehouse.`);
        // A task's result is a tool's answer, come later.
        const answer = await this.forward(owner.server, method, params, ctx);
        return method === 'tasks/result' ? this.core.calls.withoutHiddenText(answer).answer : answer;
      });
    }
    register('tasks/list', { params: z.looseObject({}).optional() as unknown as z.ZodType }, async (_params, ctx) => {
      const mine = (taskId: unknown) => this.taskOwners.get(String(taskId))?.requestor === requestor;
      const owners = [...new Set([...this.taskOwners.values()].filter((o) => o.requestor === requestor).map((o) => o.server))].filter((s) => servers().includes(s));
      const lists = await Promise.all(owners.map((s) => this.forward(s, 'tasks/list', {}, ctx).catch(() => ({ tasks: [] }))));
      const tasks = lists.flatMap((l) => ((l as { tasks?: { taskId?: string }[] }).tasks ?? []).filter((t) => mine(t.taskId)));
      return { tasks };
    });
  }

  private listTools(session: Session): Tool[] {
    const management = this.managementFor(session) ? [MANAGEMENT_TOOL] : [];
    if (this.core.config().mode !== 'direct') return [...META_TOOLS, ...management];
    const tools = session.view.servers().flatMap((s) =>
      session.view.usableTools(s).map((t) => ({ ...t, name: toolId(s, t.name) }) as Tool),
    );
    return [...tools, ...management];
  }

  private async callTool(name: string, args: Record<string, unknown>, ctx: Ctx, session: Session, task?: Record<string, unknown>): Promise<CallToolResult> {
    if (name === MANAGEMENT_TOOL.name && this.managementFor(session)) {
      try {
        return await manageServers(this.core.management(), args, (t) => this.core.redact(t));
      } catch (err) {
        return text(`upstream_servers: ${this.core.redact(err instanceof Error ? err.message : String(err))}`, true);
      }
    }
    if (this.core.config().mode !== 'direct') {
      switch (name) {
        case 'search_tools':
          return searchTools(session.view, args);
        case 'describe_tool':
          return describeTool(session.view, args);
        case 'read_result':
          return this.core.calls.readResult(String(args.handle ?? ''), typeof args.offset === 'number' ? args.offset : 0);
        case 'call_tool': {
          const input = readCallToolInput(args);
          if (!input.ok) return text(input.error, true);
          return this.callThrough(input.id, input.arguments, ctx, session, { maxChars: task ? undefined : this.core.config().maxResultChars, task });
        }
      }
    }
    return this.callThrough(name, args, ctx, session, { task });
  }

  /** An agent's call, through the one call pipeline; "ask" goes to this client's user when it can show a form. */
  private async callThrough(
    id: string,
    args: Record<string, unknown>,
    ctx: Ctx,
    session: Session,
    { maxChars, task }: { maxChars?: number; task?: Record<string, unknown> } = {},
  ): Promise<CallToolResult> {
    const link = this.link(ctx);
    const outcome = await this.core.calls.call({
      id,
      arguments: args,
      by: agentOf(session),
      upstream: { ...link.options, ...(task ? { task } : {}) },
      maxChars,
      ...(session.limited ? { visibility: session.view } : {}),
      askThroughClient: (toolId, tool, a) =>
        asksForms(session.capabilities ?? InputRounds.capabilities(ctx as RoundContext)) ? this.elicitApproval(toolId, tool, a, ctx) : undefined,
      whileWaiting: () => this.keepAliveWhileWaiting(ctx),
    });
    await link.flushed();
    // A call run as a task answers with the task: its later requests go to the server that runs it.
    const started = (outcome.result as { task?: { taskId?: unknown } }).task?.taskId;
    const server = parseToolId(id)?.server;
    if (typeof started === 'string' && server) this.taskOwners.set(started, { server, requestor: session.requestor });
    return outcome.result;
  }

  /**
   * While a call waits for a person, tells a client that asked for progress that it is waiting, so the
   * client's own request timeout (reset by progress) does not give up first.
   */
  private keepAliveWhileWaiting(ctx: Ctx): () => void {
    const progressToken = ctx.mcpReq._meta?.progressToken;
    if (progressToken === undefined) return () => undefined;
    const every = Math.min(5000, (this.core.config().approvalTimeoutSeconds * 1000) / 4);
    let beat = 0;
    const timer = setInterval(() => {
      const params = { progressToken, progress: ++beat, message: 'Waiting for the person to approve this call in Gatehouse' };
      void ctx.mcpReq.notify({ method: 'notifications/progress', params }).catch(() => undefined);
    }, every);
    return () => clearInterval(timer);
  }

  private async elicitApproval(id: string, tool: ToolDefinition, args: Record<string, unknown>, ctx: Ctx): Promise<boolean> {
    const shown = this.core.redact(JSON.stringify(args));
    const timeout = AbortSignal.timeout(this.core.config().approvalTimeoutSeconds * 1000);
    try {
      const answer = (await ctx.mcpReq.send(
        {
          method: 'elicitation/create',
          params: {
            message: `Gatehouse: allow the call to ${id}${tool.annotations?.destructiveHint ? ' (a destructive tool)' : ''} with ${shown.length > 1000 ? `${shown.slice(0, 1000)}…` : shown}?`,
            requestedSchema: {
              type: 'object',
              properties: { allow: { type: 'boolean', title: 'Allow this call', description: 'Run it once with these arguments' } },
              required: ['allow'],
            },
          },
        },
        { signal: AbortSignal.any([ctx.mcpReq.signal, timeout]) },
      )) as { action?: string; content?: { allow?: unknown } };
      return answer.action === 'accept' && answer.content?.allow === true;
    } catch {
      return false;
    }
  }

  /** Forwards a resource read or a prompt get, and puts it on record beside the calls. */
  private async forwardRead(session: Session, read: { kind: 'resource' | 'prompt'; server: string; name: string }, method: string, params: Params, ctx: Ctx): Promise<unknown> {
    const startedAt = Date.now();
    const args = read.kind === 'prompt' ? (params as { arguments?: Record<string, unknown> } | undefined)?.arguments : undefined;
    const noted = { ...read, by: agentOf(session), startedAt, ...(args ? { arguments: args } : {}) };
    try {
      const { answer: result, hidden } = this.core.calls.withoutHiddenText(await this.forward(read.server, method, params, ctx));
      this.core.calls.noteRead({ ...noted, result, hidden });
      return result;
    } catch (error) {
      this.core.calls.noteRead({ ...noted, error });
      throw error;
    }
  }

  private async forward(server: string, method: string, params: Params, ctx: Ctx): Promise<unknown> {
    const upstream = this.core.visibility.isVisible(server) ? this.core.upstream(server) : undefined;
    if (!upstream) throw new Error(`no server "${server}" is available`);
    const link = this.link(ctx);
    const result = await upstream.request(method, params, link.options);
    await link.flushed();
    return result;
  }

  /**
   * Links an upstream request to a client request: cancellation follows the client's, progress goes back
   * under the client's own token (all of it before the result: await `flushed`), and server requests
   * (sampling, elicitation, roots) go to this client.
   */
  private link(ctx: Ctx): { options: CallOptions; flushed: () => Promise<unknown> } {
    const progressToken = ctx.mcpReq._meta?.progressToken;
    let progressSent: Promise<unknown> = Promise.resolve();
    const options: CallOptions = {
      signal: ctx.mcpReq.signal,
      caller: { send: ctx.mcpReq.send, notify: (n) => ctx.mcpReq.notify(n) },
      onprogress:
        progressToken === undefined
          ? undefined
          : (p) => {
              progressSent = progressSent.then(() => ctx.mcpReq.notify({ method: 'notifications/progress', params: { ...p, progressToken } })).catch(() => undefined);
            },
    };
    return { options, flushed: () => progressSent };
  }

  /**
   * Which server a resource URI belongs to: the one that lists it, else the longest template prefix. Listed
   * resources are not pinned, so a server could list another's URI to be asked for it instead: a URI one
   * server lists and another lists too, or another's approved template matches, is refused.
   */
  private serverForUri(uri: string, among: string[]): string {
    const listing = among.filter((s) => this.core.catalog.get(s)?.resources.some((r) => r.uri === uri));
    if (listing.length) {
      const claimants = [...listing, ...among.filter((s) => !listing.includes(s) && this.core.visibility.resourceTemplates(s).some((t) => templateMatches(t.uriTemplate, uri)))];
      if (claimants.length > 1) {
        throw new Error(
          `servers ${claimants.map((s) => `"${s}"`).join(' and ')} each offer the resource "${uri}", and Gatehouse does not guess which to ask: read it through one server's own endpoint (/mcp/servers/<name>)`,
        );
      }
      return listing[0];
    }
    let best: { server: string; len: number } | undefined;
    for (const s of among) {
      // A template held back (changed since approval, or new) routes nothing.
      for (const t of this.core.visibility.resourceTemplates(s)) {
        const prefix = t.uriTemplate.split('{')[0];
        if (uri.startsWith(prefix) && (!best || prefix.length > best.len)) best = { server: s, len: prefix.length };
      }
    }
    if (best) return best.server;
    throw new Error(`no server offers the resource "${uri}"`);
  }
}

/**
 * The client behind a session. A client connected with a token of its own is named by that token, whatever
 * it calls itself. A 2026-07-28 client introduces itself in each request's envelope, with no initialize.
 */
function clientName(session: Session): string | undefined {
  const info = session.server.getClientVersion();
  const named = info ? `${info.name} ${info.version}`.trim() : undefined;
  return session.requestor ? (named ? `${session.requestor} (${named})` : session.requestor) : named;
}

/** The agent behind a session's requests, for the calls' and reads' records. */
function agentOf(session: Session): Requester {
  session.client ??= clientName(session);
  return { kind: 'agent', via: 'gateway', session: session.id, ...(session.client ? { client: session.client } : {}) };
}

const templates = new Map<string, UriTemplate | null>();

/** Whether a URI template (RFC 6570) matches a URI; a template that does not parse matches nothing. */
function templateMatches(template: string, uri: string): boolean {
  if (!templates.has(template)) {
    if (templates.size > 10_000) templates.clear();
    try {
      templates.set(template, new UriTemplate(template));
    } catch {
      templates.set(template, null);
    }
  }
  return templates.get(template)?.match(uri) != null;
}

/** Whether a client can show a form through elicitation (declared as `{}` before modes existed, or `{ form }`). */
function asksForms(capabilities: ClientCapabilities | undefined): boolean {
  const elicitation = capabilities?.elicitation as Record<string, unknown> | undefined;
  return elicitation !== undefined && (Object.keys(elicitation).length === 0 || 'form' in elicitation);
}

