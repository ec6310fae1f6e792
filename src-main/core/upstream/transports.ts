// The transport port: one factory makes a server's connection — stdio process, container, Streamable
// HTTP or legacy SSE. The assembly supplies the parts that live elsewhere (containers for isolated stdio
// servers, an auth provider for the HTTP ones), so sign-in and isolation plug in without touching this.
import os from 'node:os';
import path from 'node:path';
import type { FetchLike, JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { serverKind, type ServerConfig } from '../../../src-shared/config/schema.js';
import { ProcessTransport } from './process-transport.js';
import { sameOriginRedirects } from './redirects.js';

export type FrameTracer = (direction: 'send' | 'receive', message: JSONRPCMessage) => void;
export type TransportKind = 'stdio' | 'http' | 'sse' | 'vault';

export interface StdioHooks {
  onStderrLine: (line: string) => void;
  onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/** Everything a factory needs to connect one server. */
export interface TransportRequest {
  name: string;
  kind: TransportKind;
  /** The entry as written in config.json (placeholders unresolved): what isolation and auth decide on. */
  config: ServerConfig;
  /** The entry with its placeholders filled in: what is actually started or reached. */
  resolved: ServerConfig;
  hooks: StdioHooks;
  /** The largest message a stdio server may send. */
  maxMessageBytes?: number;
}

export interface TransportFactory {
  create(request: TransportRequest): Promise<Transport>;
}

/**
 * The auth slot of the HTTP transports: a fetch that signs a server's requests in (and refreshes, and
 * says when a person must sign in), or none (headers from config only). `resolved` has placeholders filled.
 */
export type AuthSlot = (name: string, resolved: ServerConfig) => FetchLike | undefined;

export interface TransportParts {
  /** Starts a stdio server some other way (a container); undefined: a local process. */
  stdio?: (request: TransportRequest) => Promise<Transport>;
  auth?: AuthSlot;
  /** A remote vault's tools, served in-process. */
  vault?: (request: TransportRequest) => Promise<Transport>;
}

/** The factory: local processes and HTTP by default, with the assembly's parts where it gives them. */
export function transportFactory(parts: TransportParts = {}): TransportFactory {
  return {
    async create(request) {
      if (request.kind === 'vault') {
        if (!parts.vault) throw new Error('vault servers are not available here');
        return parts.vault(request);
      }
      if (request.kind !== 'stdio') return createHttpTransport(request.resolved, request.kind, parts.auth?.(request.name, request.resolved));
      return parts.stdio ? parts.stdio(request) : createStdioTransport(request.resolved, request.hooks, request.maxMessageBytes);
    },
  };
}

export function createStdioTransport(config: ServerConfig, hooks: Partial<StdioHooks>, maxMessageBytes?: number): ProcessTransport {
  return new ProcessTransport({ command: config.command!, args: config.args ?? [], env: config.env ?? {}, cwd: config.cwd && homeExpanded(config.cwd) }, { ...hooks, maxMessageBytes });
}

/** "~/project" as a person means it: no shell stands between config.json and the process to expand it. */
function homeExpanded(dir: string): string {
  return dir === '~' || dir.startsWith('~/') ? path.join(os.homedir(), dir.slice(1)) : dir;
}

async function createHttpTransport(config: ServerConfig, kind: 'http' | 'sse', signedIn?: FetchLike): Promise<Transport> {
  const { SSEClientTransport, StreamableHTTPClientTransport } = await loadClientSdk();
  const url = new URL(config.url!);
  const requestInit: RequestInit = { headers: config.headers ?? {} };
  const options = { requestInit, fetch: sameOriginRedirects(signedIn ?? ((input, init) => fetch(input, init))) };
  return kind === 'sse' ? new SSEClientTransport(url, options) : new StreamableHTTPClientTransport(url, options);
}

/**
 * The client SDK is loaded on first connect, not at start-up: it is the largest module Gatehouse uses,
 * and a start with a warm tool cache connects nothing.
 */
export function loadClientSdk() {
  return import('@modelcontextprotocol/client');
}

export function transportKind(config: ServerConfig): TransportKind {
  return serverKind(config) ?? 'stdio';
}

/**
 * Patches a transport in place (so every optional capability the SDK looks for on it stays visible):
 * - responses reach the SDK one macrotask after they arrive. The SDK runs notification handlers a tick
 *   later than it settles responses, so without this the last progress notification before a result
 *   is dropped as belonging to a finished request.
 * - with `trace`, every JSON-RPC frame in either direction is reported (for `--log-level trace`).
 */
/**
 * Requests sent past the SDK's client, for what it will not carry: the tasks extension (it refuses a task
 * in answer to tools/call, and has no task methods). Their ids are strings of our own, so their answers
 * are told apart from the SDK's and never reach it.
 */
export interface RawChannel {
  request(message: { method: string; params?: Record<string, unknown> }, options: { timeoutMs: number; signal?: AbortSignal }): Promise<unknown>;
}

const rawChannels = new WeakMap<Transport, RawChannel>();

export function rawChannel(transport: Transport): RawChannel | undefined {
  return rawChannels.get(transport);
}

export function instrument<T extends Transport>(transport: T, trace?: FrameTracer): T {
  const raw = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  rawChannels.set(transport, {
    request: (message, { timeoutMs, signal }) =>
      new Promise((resolve, reject) => {
        const id = `gatehouse-${++next}`;
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', aborted);
          raw.delete(id);
        };
        const timer = setTimeout(() => (done(), reject(Object.assign(new Error('Request timed out'), { code: -32001 }))), timeoutMs);
        const aborted = () => (done(), reject(new Error('cancelled')));
        signal?.addEventListener('abort', aborted);
        raw.set(id, {
          resolve: (v) => (done(), resolve(v)),
          reject: (e) => (done(), reject(e)),
        });
        transport.send({ jsonrpc: '2.0', id, ...message } as never).catch((err: Error) => raw.get(id)?.reject(err));
      }),
  });
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
          const waiting = raw.size && 'id' in message && !('method' in message) ? raw.get(String(message.id)) : undefined;
          if (waiting) {
            const answer = message as { result?: unknown; error?: { code?: number; message?: string; data?: unknown } };
            if (answer.error) waiting.reject(Object.assign(new Error(answer.error.message ?? 'error'), { code: answer.error.code, data: answer.error.data }));
            else waiting.resolve(answer.result);
            return;
          }
          if ('id' in message && !('method' in message)) setImmediate(() => next(message, extra));
          else next(message, extra);
        });
    },
  });
  return transport;
}
