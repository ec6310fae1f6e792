// Builds the transport for a server's config: stdio process, Streamable HTTP, or legacy SSE.
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { serverKind, type ServerConfig } from '../../../src-shared/config/schema.js';
import { ProcessTransport } from './process-transport.js';

export type FrameTracer = (direction: 'send' | 'receive', message: JSONRPCMessage) => void;

export interface TransportHooks {
  onStderrLine?: (line: string) => void;
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export function createStdioTransport(config: ServerConfig, hooks: TransportHooks): ProcessTransport {
  return new ProcessTransport(
    { command: config.command!, args: config.args ?? [], env: config.env ?? {}, cwd: config.cwd },
    hooks,
  );
}

export async function createHttpTransport(config: ServerConfig, kind: 'http' | 'sse'): Promise<Transport> {
  const { SSEClientTransport, StreamableHTTPClientTransport } = await loadClientSdk();
  const url = new URL(config.url!);
  const requestInit: RequestInit = { headers: config.headers ?? {} };
  return kind === 'sse'
    ? new SSEClientTransport(url, { requestInit })
    : new StreamableHTTPClientTransport(url, { requestInit });
}

/**
 * The client SDK is loaded on first connect, not at start-up: it is the largest module Gatehouse uses,
 * and a start with a warm tool cache connects nothing.
 */
export function loadClientSdk() {
  return import('@modelcontextprotocol/client');
}

export function transportKind(config: ServerConfig) {
  return serverKind(config) ?? 'stdio';
}

/**
 * Patches a transport in place (so every optional capability the SDK looks for on it stays visible):
 * - responses reach the SDK one macrotask after they arrive. The SDK runs notification handlers a tick
 *   later than it settles responses, so without this the last progress notification before a result
 *   is dropped as belonging to a finished request.
 * - with `trace`, every JSON-RPC frame in either direction is reported (for `--log-level trace`).
 */
export function instrument<T extends Transport>(transport: T, trace?: FrameTracer): T {
  if (trace) {
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
      trace('send', message);
      return send(message, options);
    };
  }
  let handler: Transport['onmessage'];
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    get: () => handler,
    set: (next: Transport['onmessage']) => {
      handler =
        next &&
        ((message, extra) => {
          trace?.('receive', message);
          if ('id' in message && !('method' in message)) setImmediate(() => next(message, extra));
          else next(message, extra);
        });
    },
  });
  return transport;
}
