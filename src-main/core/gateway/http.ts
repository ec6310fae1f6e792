// The gateway over Streamable HTTP: loopback only, Host and Origin checked against DNS rebinding, and a
// bearer token required. One MCP session (and one Server) per client.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createMcpHandler, isLegacyRequest, type JSONRPCMessage, type McpHttpHandler } from '@modelcontextprotocol/server';
import { bearerToken, checkLocalRequest, readBody, sendJson, tokenMatches } from '../host/index.js';
import type { ChangeEvent, Gateway } from './gateway.js';
import { HttpSessionTransport } from './http-session.js';
import { LegacySseTransport } from './legacy-sse.js';
import { errorResponse, idOf, invalidMessage } from './json-rpc.js';
import { listenedResources } from './listen.js';

const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** A session with no request and no open stream for this long is closed. */
const SESSION_IDLE_MS = 10 * 60_000;
/** At most this many sessions at once: a new one then ends the session idle the longest. */
const MAX_SESSIONS = 1000;

function rpcError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { jsonrpc: '2.0', id: null, error: { code, message } });
}

/** Which endpoint (all servers, one server, a client's own) and which client's token a session belongs to. */
function sessionScope(only: string | undefined, client: string | undefined, connected: string | undefined): string {
  return `${only ?? ''}\u0000${client ?? ''}\u0000${connected ?? ''}`;
}
const OPEN_SCOPE = sessionScope(undefined, undefined, undefined);

/** A POST's JSON-RPC message or batch; undefined when it is too large, not JSON or an empty batch, the refusal sent. */
async function readMessages(req: IncomingMessage, res: ServerResponse): Promise<{ text: string; body: unknown; messages: unknown[] } | undefined> {
  const text = await readBody(req, MAX_BODY_BYTES);
  if (text === undefined) return void rpcError(res, 413, -32600, `Request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return void rpcError(res, 400, -32700, 'Parse error: the body is not JSON');
  }
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  if (messages.length === 0) return void rpcError(res, 400, -32600, 'Invalid request: an empty batch');
  return { text, body, messages };
}

export class McpHttpEndpoint {
  private readonly sessions = new Map<string, HttpSessionTransport>();
  /** Sessions of the 2024-11-05 HTTP+SSE transport, each with the endpoint and client it was opened on. */
  private readonly legacy = new Map<string, { transport: LegacySseTransport; scope: string }>();
  /** The endpoint and client a session belongs to, where it is not the gateway's own on `/mcp`. */
  private readonly scopes = new Map<string, string>();
  private readonly sweeper: NodeJS.Timeout;
  /** The SDK's handler for 2026-07-28 requests, one per endpoint ('' for /mcp), with its listen streams. */
  /** The stateless era's handlers, one per endpoint and connected client. */
  private readonly modern = new Map<string, { handler: McpHttpHandler; only?: string; connected?: string }>();
  private readonly stopListening: () => void;

  constructor(
    private readonly gateway: Gateway,
    private readonly token: () => string,
    private readonly port: () => number,
    /** The connected client a token of its own names, if it is one. */
    private readonly identify: (token: string | undefined) => string | undefined = () => undefined,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
    this.stopListening = gateway.onChange((event, { from, scopedOnly }) => {
      for (const { handler, only, connected } of this.modern.values()) {
        if (only && from !== undefined && only !== from) continue;
        if (!only && scopedOnly) continue;
        if (connected && from !== undefined && !gateway.mayHear(connected, from)) continue;
        publish(handler, event);
      }
    });
  }

  /**
   * Serves `/mcp`; with `only`, one server's own endpoint (`/mcp/servers/<name>`); with `client`, a connected
   * client's own endpoint (`/mcp/clients/<id>`), which takes that client's token (or the gateway's).
   */
  async handle(req: IncomingMessage, res: ServerResponse, only?: string, client?: string): Promise<void> {
    const caller = this.admit(req, res, client);
    if (!caller) return;
    const { connected } = caller;
    const sessionId = req.headers['mcp-session-id'];
    const found = typeof sessionId === 'string' ? this.sessions.get(sessionId) : undefined;
    // A session lives on the endpoint it was opened on, for the client whose token opened it: a session id
    // someone else learned takes them nowhere.
    const endpoint = sessionScope(only, client, connected);
    const session = found && (this.scopes.get(found.sessionId) ?? OPEN_SCOPE) === endpoint ? found : undefined;
    if (typeof sessionId === 'string' && !session) return rpcError(res, 404, -32001, 'Session not found: start a new session with initialize');

    if (req.method === 'GET') {
      if (!session) return rpcError(res, 400, -32000, 'No session: send initialize first');
      return session.handleGet(req, res);
    }
    if (req.method === 'DELETE') {
      if (!session) return rpcError(res, 400, -32000, 'No session to end');
      this.sessions.delete(session.sessionId);
      await session.close('The client ended its session: the request was not finished');
      res.writeHead(200).end();
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST, DELETE');
      return rpcError(res, 405, -32000, `Method ${req.method} is not allowed on /mcp`);
    }

    const read = await readMessages(req, res);
    if (!read) return;
    const { text, body, messages } = read;
    // Every malformed message is answered here, each under its own id where it has a usable one.
    const invalid = messages.flatMap((m) => {
      const problem = invalidMessage(m);
      return problem ? [errorResponse(idOf(m), -32600, `Invalid request: ${problem}`)] : [];
    });
    if (invalid.length) return sendJson(res, 400, Array.isArray(body) ? invalid : invalid[0]);
    if (session) return session.handlePost(res, body, false);

    const initializing = messages.some((m) => (m as { method?: string }).method === 'initialize');
    if (only !== undefined) {
      const unavailable = this.gateway.unavailableServer(only);
      if (unavailable) return rpcError(res, 404, -32001, unavailable);
    }
    if (!initializing) {
      // A client of the 2026-07-28 revision needs no session: every request carries its own envelope.
      const request = webRequest(req, res, text, this.port());
      if (!(await isLegacyRequest(request, body))) return this.serveStateless(request, body, res, only, connected);
      return rpcError(res, 400, -32000, 'No session: send initialize first (without an Mcp-Session-Id header)');
    }
    if (this.sessions.size >= MAX_SESSIONS && !this.evictIdlest()) return rpcError(res, 503, -32000, 'Too many sessions are open: try again later');
    const transport = new HttpSessionTransport(randomUUID());
    this.sessions.set(transport.sessionId, transport);
    if (endpoint !== OPEN_SCOPE) this.scopes.set(transport.sessionId, endpoint);
    const server = this.gateway.createSession(only, connected);
    const previous = server.onclose;
    server.onclose = () => {
      previous?.();
      this.sessions.delete(transport.sessionId);
      this.scopes.delete(transport.sessionId);
    };
    await server.connect(transport);
    transport.handlePost(res, body, true);
  }

  /**
   * One request of the stateless (2026-07-28) era: the SDK's handler answers it with a gateway session made
   * for this request alone, which is closed when the answer is written.
   */
  private async serveStateless(request: Request, body: unknown, res: ServerResponse, only?: string, connected?: string): Promise<void> {
    const scope = `${only ?? ''}\u0000${connected ?? ''}`;
    let handler = this.modern.get(scope)?.handler;
    if (!handler) {
      handler = createMcpHandler(() => this.gateway.createSession(only, connected), { legacy: 'reject' });
      this.modern.set(scope, { handler, only, connected });
    }
    // A listen stream that names resources: their servers are subscribed for as long as it is open.
    const releases = await Promise.all(listenedResources(body).map((uri) => this.gateway.subscribeUpstream(uri, only)));
    if (releases.length) res.once('close', () => releases.forEach((release) => release()));
    const response = await handler.fetch(request, { parsedBody: body });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    // A listen stream stays open until the client goes: stop reading it then.
    const reader = response.body.getReader();
    res.once('close', () => void reader.cancel().catch(() => undefined));
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) res.write(chunk.value);
    } catch {
      // The client went away mid-stream.
    }
    res.end();
  }

  /** Ends the session idle the longest (one without an open stream); false when every session is busy. */
  private evictIdlest(): boolean {
    let idlest: HttpSessionTransport | undefined;
    for (const session of this.sessions.values()) {
      if (!session.hasOpenStream && (!idlest || session.lastActivity < idlest.lastActivity)) idlest = session;
    }
    if (!idlest) return false;
    this.sessions.delete(idlest.sessionId);
    void idlest.close();
    return true;
  }

  /**
   * Whether the request may use the gateway (loopback, Host and Origin, a token): its connected client, if it
   * presented one's token; undefined when refused, the refusal already sent.
   */
  private admit(req: IncomingMessage, res: ServerResponse, client?: string): { connected?: string } | undefined {
    const problem = checkLocalRequest(req, this.port);
    if (problem) return void sendJson(res, 403, { error: 'forbidden', message: problem });
    const presented = bearerToken(req);
    const gatewayToken = tokenMatches(presented, this.token());
    const identified = gatewayToken ? undefined : this.identify(presented);
    // A client's token is that client wherever it is used; its own endpoint also takes the gateway's token.
    const connected = identified ?? (gatewayToken ? client : undefined);
    if ((!gatewayToken && !identified) || (client !== undefined && connected !== client)) {
      return void sendJson(
        res,
        401,
        {
          error: 'unauthorized',
          message: 'A bearer token is required: send "Authorization: Bearer <token>". `gatehouse serve` prints the token; GATEHOUSE_TOKEN sets it.',
        },
        { 'www-authenticate': 'Bearer realm="gatehouse"' },
      );
    }
    return connected === undefined ? {} : { connected };
  }

  /**
   * The HTTP+SSE transport of the 2024-11-05 revision, beside Streamable HTTP on the same endpoint: a GET of
   * `<endpoint>/sse` opens a session's stream, and its client POSTs to `<endpoint>/messages?sessionId=…`.
   */
  async handleLegacy(req: IncomingMessage, res: ServerResponse, part: 'sse' | 'messages', only?: string, client?: string): Promise<void> {
    const caller = this.admit(req, res, client);
    if (!caller) return;
    const scope = sessionScope(only, client, caller.connected);
    const address = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = address.pathname;
    if (part === 'sse') {
      if (req.method !== 'GET') {
        res.setHeader('allow', 'GET');
        return rpcError(res, 405, -32000, `Method ${req.method} is not allowed on ${path}: GET it to open the stream`);
      }
      if (only !== undefined) {
        const unavailable = this.gateway.unavailableServer(only);
        if (unavailable) return rpcError(res, 404, -32001, unavailable);
      }
      if (this.sessions.size + this.legacy.size >= MAX_SESSIONS) return rpcError(res, 503, -32000, 'Too many sessions are open: try again later');
      const transport = new LegacySseTransport(randomUUID(), res, path.replace(/\/sse$/, '/messages'));
      this.legacy.set(transport.sessionId, { transport, scope });
      const server = this.gateway.createSession(only, caller.connected);
      const previous = server.onclose;
      server.onclose = () => {
        previous?.();
        this.legacy.delete(transport.sessionId);
      };
      await server.connect(transport);
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return rpcError(res, 405, -32000, `Method ${req.method} is not allowed on ${path}`);
    }
    const found = this.legacy.get(address.searchParams.get('sessionId') ?? '');
    // A session lives on the endpoint it was opened on, for the client that opened it.
    if (!found || found.scope !== scope) return rpcError(res, 404, -32001, 'Session not found: open a new one with a GET of the /sse address');
    const read = await readMessages(req, res);
    if (!read) return;
    const problem = read.messages.map(invalidMessage).find((p) => p !== undefined);
    if (problem) return rpcError(res, 400, -32600, `Invalid request: ${problem}`);
    res.writeHead(202, { 'content-type': 'text/plain' }).end('Accepted');
    found.transport.receive(read.messages as JSONRPCMessage[]);
  }

  get sessionCount(): number {
    return this.sessions.size + this.legacy.size;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, session] of this.sessions) {
      if (!session.hasOpenStream && now - session.lastActivity > SESSION_IDLE_MS) {
        this.sessions.delete(id);
        void session.close();
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.stopListening();
    await Promise.all([...this.modern.values()].map(({ handler }) => handler.close().catch(() => undefined)));
    this.modern.clear();
    await Promise.all([...this.sessions.values()].map((t) => t.close().catch(() => undefined)));
    this.sessions.clear();
    await Promise.all([...this.legacy.values()].map(({ transport }) => transport.close().catch(() => undefined)));
    this.legacy.clear();
  }
}

function publish(handler: McpHttpHandler, event: ChangeEvent): void {
  if (event.kind === 'tools_list_changed') handler.notify.toolsChanged();
  else if (event.kind === 'prompts_list_changed') handler.notify.promptsChanged();
  else if (event.kind === 'resources_list_changed') handler.notify.resourcesChanged();
  else if (event.kind === 'resource_updated') handler.notify.resourceUpdated(event.uri);
}

/**
 * The request as a web-standard Request (what the SDK's stateless handler takes), its body already read.
 * Its signal aborts when the client goes before the answer is written: on the 2026-07-28 wire, closing
 * the response stream is how a client cancels its request.
 */
function webRequest(req: IncomingMessage, res: ServerResponse, body: string, port: number): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort(new Error('The client closed its request'));
  });
  return new Request(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers, body, signal: gone.signal });
}
