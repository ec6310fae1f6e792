// One client's session over the HTTP+SSE transport of the 2024-11-05 revision, which clients that predate
// Streamable HTTP still speak: a GET opens the stream, whose first event names the address to POST
// messages to; every answer and server message comes back on that stream. The stream is the session:
// when it closes, the session ends, and what its client left waiting (a call for a person's yes) with it.
import type { ServerResponse } from 'node:http';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';

const KEEP_ALIVE_MS = 25_000;

export class LegacySseTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private closed = false;
  private ping: NodeJS.Timeout | undefined;

  /** `messages`: the path (this endpoint's own) that the client POSTs to, before `?sessionId=`. */
  constructor(
    readonly sessionId: string,
    private readonly stream: ServerResponse,
    private readonly messages: string,
  ) {}

  async start(): Promise<void> {
    this.stream.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    this.stream.write(`event: endpoint\ndata: ${this.messages}?sessionId=${encodeURIComponent(this.sessionId)}\n\n`);
    this.ping = setInterval(() => this.stream.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.ping.unref();
    this.stream.on('close', () => void this.close());
  }

  /** Messages the client POSTed (each already checked to be well-formed JSON-RPC). */
  receive(messages: JSONRPCMessage[]): void {
    for (const m of messages) this.onmessage?.(m);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.closed && !this.stream.writableEnded) this.stream.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.ping);
    if (!this.stream.writableEnded) this.stream.end();
    this.onclose?.();
  }
}
