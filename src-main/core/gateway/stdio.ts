// The gateway over this process's stdin/stdout, for clients that only spawn processes, in both protocol
// eras: the SDK's stdio entry picks the era from the opening exchange (an `initialize`, or a 2026-07-28
// request with its envelope) and pins one gateway session to the connection. The transport under it is our
// own (newline-delimited JSON-RPC, as the SDK's) so that a malformed line is answered with an error instead
// of being dropped, which would leave the client waiting.
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import { serveStdio as serveBothEras } from '@modelcontextprotocol/server/stdio';
import { readMessages } from '../upstream/index.js';
import type { Gateway } from './gateway.js';
import { errorResponse, idOf, invalidMessage } from './json-rpc.js';
import { listenedResources } from './listen.js';

/** A client's message may be large (a file to write), but not unbounded. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

class StdioGatewayTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private closed = false;
  /** Resolves when the connection has ended. */
  readonly ended: Promise<void>;
  private end!: () => void;

  /** Sees each valid message before the SDK does; the SDK gets it (and those after it) once this settles. */
  onInbound?: (message: Record<string, unknown>) => Promise<void> | void;
  /** Set while a hook holds delivery back: later messages queue behind it, in order. */
  private held: Promise<void> | undefined;

  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
  ) {
    this.ended = new Promise((resolve) => (this.end = resolve));
  }

  async start(): Promise<void> {
    readMessages(
      this.input,
      (message) => {
        const problem = invalidMessage(message);
        if (problem) void this.send(errorResponse(idOf(message), -32600, `Invalid request: ${problem}`) as JSONRPCMessage);
        else {
          const hook = this.onInbound?.(message as Record<string, unknown>);
          const deliver = () => this.onmessage?.(message as JSONRPCMessage);
          // The common case goes straight through; only a hook (and what follows it) waits.
          if (!hook && !this.held) return deliver();
          const after = (this.held ?? Promise.resolve()).then(() => hook).then(deliver, deliver);
          this.held = after;
          const release = () => {
            if (this.held === after) this.held = undefined;
          };
          void after.then(release, release);
        }
      },
      (err) => void this.send(errorResponse(null, -32700, `Parse error: ${err.message}`) as JSONRPCMessage),
      MAX_MESSAGE_BYTES,
      { writer: 'the client', onOversized: (id, reason) => void this.send(errorResponse(id ?? null, -32600, `Invalid request: ${reason}`) as JSONRPCMessage) },
    );
    this.input.once('end', () => void this.close());
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.output.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.output.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
    this.end();
  }
}

/** Serves the gateway on stdin/stdout; with `only`, one server's own tools, prompts and resources under their own names. */
export async function serveStdio(
  gateway: Gateway,
  options: { only?: string; input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream } = {},
): Promise<{ closed: Promise<void> }> {
  const transport = new StdioGatewayTransport(options.input ?? process.stdin, options.output ?? process.stdout);
  // A listen stream's resources are subscribed upstream until it is cancelled or the connection ends.
  const listening = new Map<unknown, Promise<(() => void)[]>>();
  const release = (id: unknown) => {
    void listening.get(id)?.then((releases) => releases.forEach((r) => r()));
    listening.delete(id);
  };
  transport.onInbound = (message) => {
    if (message.method === 'notifications/cancelled') release((message.params as { requestId?: unknown } | undefined)?.requestId);
    const uris = listenedResources(message);
    if (!uris.length) return;
    const subscribing = Promise.all(uris.map((uri) => gateway.subscribeUpstream(uri, options.only)));
    listening.set(message.id, subscribing);
    return subscribing.then(() => undefined);
  };
  void transport.ended.then(() => [...listening.keys()].forEach(release));
  serveBothEras(() => gateway.createSession(options.only), { transport });
  return { closed: transport.ended };
}
