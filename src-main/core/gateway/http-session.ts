// One client's MCP session over Streamable HTTP, written directly on node:http. (The SDK's Node
// transport converts every request into web streams and back, which costs about a millisecond a call
// and a slower start; the protocol itself is small.)
//
// A POST that carries a request is answered with plain JSON when the response is the first thing the
// server sends for it, and switches to an SSE stream when a notification or a server request (progress,
// sampling, elicitation, roots) comes first. A GET opens the stream for messages unrelated to any request.
// No stream can be resumed: a request whose stream the client drops before the answer is cancelled.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONRPCMessage, RequestId, Transport, TransportSendOptions } from '@modelcontextprotocol/server';

type Message = Record<string, unknown> & { jsonrpc: '2.0'; id?: RequestId; method?: string };

/** Requests one session may have waiting at once; more are answered with an error (memory stays bounded). */
const MAX_IN_FLIGHT = 256;

/** A POST waiting for the responses to the requests it carried. */
interface PendingPost {
  res: ServerResponse;
  waiting: Set<RequestId>;
  streaming: boolean;
  /** Responses that arrived while more were outstanding (a batch): sent together at the end. */
  batch: Message[] | undefined;
}

export class HttpSessionTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  lastActivity = Date.now();

  private readonly byRequest = new Map<RequestId, PendingPost>();
  private standalone: ServerResponse | undefined;
  private closed = false;

  constructor(readonly sessionId: string) {}

  async start(): Promise<void> {}

  /** A POST whose body (already parsed) is one message or a batch. */
  handlePost(res: ServerResponse, body: unknown, includeSessionHeader: boolean): void {
    this.lastActivity = Date.now();
    const messages = (Array.isArray(body) ? body : [body]) as Message[];
    const requests = messages.filter((m) => m.method !== undefined && m.id !== undefined);
    const headers: Record<string, string> = includeSessionHeader ? { 'mcp-session-id': this.sessionId } : {};
    if (requests.length === 0) {
      res.writeHead(202, headers).end();
    } else if (this.byRequest.size + requests.length > MAX_IN_FLIGHT) {
      const busy = requests.map((r) => ({ jsonrpc: '2.0', id: r.id, error: { code: -32000, message: `Too many requests in flight in this session (at most ${MAX_IN_FLIGHT}): wait for some to finish` } }));
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      sendJson(res, Array.isArray(body) ? busy : busy[0]);
      return;
    } else {
      const post: PendingPost = { res, waiting: new Set(requests.map((r) => r.id!)), streaming: false, batch: Array.isArray(body) ? [] : undefined };
      for (const r of requests) this.byRequest.set(r.id!, post);
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      res.on('close', () => {
        // The client dropped the stream before its answers. Gatehouse keeps no events to resume a stream
        // from, so those answers can reach no one: the requests are cancelled, as if the client had said so
        // (a call waiting for a person's yes is withdrawn rather than run for nobody).
        for (const id of post.waiting) {
          this.byRequest.delete(id);
          if (!this.closed) this.onmessage?.({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'The client closed the stream its answer was to come on' } });
        }
        post.waiting.clear();
      });
    }
    for (const m of messages) this.onmessage?.(m as JSONRPCMessage);
  }

  /** A GET: the stream for server messages that belong to no request. */
  handleGet(req: IncomingMessage, res: ServerResponse): void {
    this.lastActivity = Date.now();
    if (this.standalone && !this.standalone.writableEnded) {
      res.writeHead(409, { 'content-type': 'application/json' }).end(
        JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Conflict: this session already has an open stream' } }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'mcp-session-id': this.sessionId });
    res.flushHeaders();
    this.standalone = res;
    const ping = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    ping.unref();
    req.on('close', () => {
      clearInterval(ping);
      if (this.standalone === res) this.standalone = undefined;
    });
  }

  get hasOpenStream(): boolean {
    return this.standalone !== undefined || this.byRequest.size > 0;
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.closed) return;
    const m = message as Message;
    const isResponse = m.method === undefined && m.id !== undefined;
    const key = isResponse ? m.id! : options?.relatedRequestId;
    const post = key === undefined ? undefined : this.byRequest.get(key);
    if (!post) {
      // Unrelated to a live request: the standalone stream, if the client opened one. Never a response, which
      // belongs on its request's stream alone.
      if (this.standalone && !isResponse) writeEvent(this.standalone, m);
      return;
    }
    if (!isResponse) {
      startStream(post);
      writeEvent(post.res, m);
      return;
    }
    post.waiting.delete(m.id!);
    this.byRequest.delete(m.id!);
    if (post.streaming) {
      writeEvent(post.res, m);
      if (post.waiting.size === 0) post.res.end();
    } else if (post.batch) {
      post.batch.push(m);
      if (post.waiting.size === 0) sendJson(post.res, post.batch);
    } else {
      sendJson(post.res, m);
    }
  }

  /** Ends the session. Requests still waiting are answered with an error that says why, not left empty. */
  async close(reason = 'Gatehouse is shutting down: the request was not finished'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const post of new Set(this.byRequest.values())) {
      const errors = [...post.waiting].map((id) => ({ jsonrpc: '2.0' as const, id, error: { code: -32000, message: reason } }));
      if (post.streaming) {
        for (const e of errors) writeEvent(post.res, e);
        if (!post.res.writableEnded) post.res.end();
      } else {
        sendJson(post.res, post.batch ? [...post.batch, ...errors] : errors[0]);
      }
    }
    this.byRequest.clear();
    this.standalone?.end();
    this.standalone = undefined;
    this.onclose?.();
  }
}

function startStream(post: PendingPost): void {
  if (post.streaming) return;
  post.streaming = true;
  post.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  // Anything a batch already collected goes out first.
  for (const m of post.batch ?? []) writeEvent(post.res, m);
  post.batch = undefined;
}

function writeEvent(res: ServerResponse, message: Message): void {
  if (!res.writableEnded) res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
}

function sendJson(res: ServerResponse, body: unknown): void {
  if (res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
