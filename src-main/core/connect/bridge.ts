// One Streamable HTTP or SSE endpoint on stdin/stdout: `gatehouse connect <url>` (a remote server, signed in
// the way the gateway signs its servers in) and a stdio bridge that relays to the Gatehouse already running.
// Messages pass through unchanged; when the server wants a sign-in (or more scope), the browser opens, and
// the message that needed it is sent again once — never in a loop.
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import type { SignInSession } from '../auth/index.js';
import { describeConnectError, loadClientSdk, readLines, statusOf } from '../upstream/index.js';

export interface BridgeOptions {
  url: string;
  /** Signs in when the server asks; without one, `fetch` authenticates the bridge's requests. */
  session?: SignInSession;
  fetch?: typeof fetch;
  /** Shows the authorization page (the browser, and the address on stderr). */
  open?: (url: string) => void;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  log: (text: string) => void;
  /**
   * When stdin ends: 'answer' sends what was already asked its answers first (a script that writes its
   * requests and closes stdin); 'cancel' ends at once, the client being gone, and what it asked with it.
   */
  inputEnd?: 'answer' | 'cancel';
  /** Headers sent with every request to the server (an API key, a tenant); a sign-in's token wins over them. */
  headers?: Record<string, string>;
}

/** Sign-ins one message may cause: the first, and one step-up. */
const SIGN_INS_PER_MESSAGE = 2;
/** How long ending the session may hold up a bridge that is closing. */
const TERMINATE_MS = 2_000;
/** How long an SSE stream tried after a refusal may take to name where to post. */
const SSE_START_MS = 10_000;

export async function runBridge(o: BridgeOptions): Promise<{ closed: Promise<void>; close: () => Promise<void> }> {
  const { SSEClientTransport, StreamableHTTPClientTransport } = await loadClientSdk();
  const url = new URL(o.url);
  const options = { fetch: o.session?.fetch ?? o.fetch, ...(o.headers ? { requestInit: { headers: o.headers } } : {}) };
  let remote: Transport = /\/sse\/?$/.test(url.pathname) ? new SSEClientTransport(url, options) : new StreamableHTTPClientTransport(url, options);
  const session = o.session;
  const signIn = () => session!.signIn({ open: o.open ?? (() => undefined) });
  // The requests not answered yet: over SSE a request is sent once the server accepts it, and its answer
  // comes later on the stream.
  const unanswered = new Set<string | number>();
  let allAnswered: (() => void) | undefined;
  const write = (message: JSONRPCMessage) => {
    o.output.write(`${JSON.stringify(message)}\n`);
    if ('id' in message && !('method' in message) && unanswered.delete(message.id as string | number) && unanswered.size === 0) allAnswered?.();
  };
  let ended!: () => void;
  const closed = new Promise<void>((resolve) => (ended = resolve));
  const wire = (t: Transport) => {
    t.onmessage = write;
    t.onerror = (err) => o.log(`remote: ${describeConnectError(err, o.url) ?? err.message}`);
    t.onclose = () => ended();
  };
  wire(remote);

  // A server at an address not ending in /sse that refuses Streamable HTTP's first POST (404, 405…) may speak
  // the older HTTP+SSE transport there: it is tried once, as the gateway does for its servers.
  let triedSse = false;
  const fellBackToSse = async (err: unknown): Promise<boolean> => {
    const status = statusOf(err)?.status;
    if (triedSse || !(remote instanceof StreamableHTTPClientTransport) || status === undefined || status < 400 || status >= 500 || status === 401 || status === 403) return false;
    triedSse = true;
    const sse = new SSEClientTransport(url, options);
    try {
      // A stream that never names where to post is no SSE server: given up on, as a refusal is.
      await Promise.race([sse.start(), new Promise((_, reject) => setTimeout(() => reject(new Error('no endpoint event')), SSE_START_MS).unref())]);
    } catch {
      await sse.close().catch(() => undefined);
      return false;
    }
    const http = remote;
    http.onclose = undefined;
    await http.close().catch(() => undefined);
    remote = sse;
    wire(sse);
    o.log(`${o.url} answered Streamable HTTP with HTTP ${status}: it speaks the older HTTP+SSE transport, used from now on`);
    return true;
  };

  const forward = async (message: JSONRPCMessage, signIns = 0): Promise<void> => {
    try {
      await remote.send(message);
    } catch (err) {
      if ('method' in message && message.method === 'initialize' && (await fellBackToSse(err))) return forward(message, signIns);
      if (session?.signInNeeded && signIns < SIGN_INS_PER_MESSAGE) {
        o.log(`${o.url} ${session.signInNeeded.split(':')[0]}: signing in`);
        try {
          await signIn();
          return forward(message, signIns + 1);
        } catch (signInError) {
          err = signInError;
        }
      }
      const isRequest = 'id' in message && 'method' in message;
      // The server's own answer to the request, sent with an error status: passed on as it is.
      const answer = isRequest ? errorAnswerIn(err, message.id) : undefined;
      if (answer) return void write(answer);
      const text = describeConnectError(err, o.url) ?? (err as Error).message;
      o.log(text);
      if (isRequest) write({ jsonrpc: '2.0', id: message.id, error: { code: -32001, message: text } });
    }
  };

  // Only SSE needs its stream open first; Streamable HTTP starts with the first message.
  if (remote instanceof SSEClientTransport) {
    try {
      await remote.start();
    } catch (err) {
      if (!session?.signInNeeded) throw err;
      await signIn();
      await remote.start();
    }
  } else {
    await remote.start();
  }
  const inFlight = new Set<Promise<void>>();
  // What follows an initialize waits for its answer, which brings the session every later request belongs
  // to (a script may write them all at once); the rest goes out as it comes, side by side.
  let initialized: Promise<void> | undefined;
  readLines(o.input, (line) => {
    let message: JSONRPCMessage;
    try {
      message = JSON.parse(line) as JSONRPCMessage;
    } catch {
      return o.log(`not JSON-RPC on stdin: ${line.slice(0, 200)}`);
    }
    if ('method' in message && 'id' in message) unanswered.add(message.id);
    const initializing = 'method' in message && message.method === 'initialize';
    const sent = (initializing || !initialized ? forward(message) : initialized.then(() => forward(message))).finally(() => inFlight.delete(sent));
    if (initializing) initialized = sent;
    inFlight.add(sent);
  });
  let closing: Promise<void> | undefined;
  // The server is told the client went: a session of the 2025 era is ended (what waits in it, a call for a
  // person's yes among them, is withdrawn), and closing the transport drops the requests of the 2026 era.
  const close = () =>
    (closing ??= (async () => {
      if (remote instanceof StreamableHTTPClientTransport && remote.sessionId) {
        await Promise.race([remote.terminateSession().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, TERMINATE_MS).unref())]);
      }
      await remote.close().catch(() => undefined);
      ended();
    })());
  const answered = async () => {
    await Promise.allSettled([...inFlight]);
    if (unanswered.size) await Promise.race([new Promise<void>((resolve) => (allAnswered = resolve)), closed]);
  };
  o.input.on('end', () => void (o.inputEnd === 'cancel' ? close() : answered().then(close)));
  return { closed, close };
}

/** A JSON-RPC error answering request `id`, when the refused request's body is one. */
function errorAnswerIn(err: unknown, id: string | number): JSONRPCMessage | undefined {
  const text = (err as { data?: { text?: unknown } } | undefined)?.data?.text ?? /^Error POSTing to endpoint \(HTTP \d{3}\): (\{.*\})$/s.exec((err as Error)?.message ?? '')?.[1];
  if (typeof text !== 'string') return undefined;
  try {
    const body = JSON.parse(text) as { jsonrpc?: unknown; id?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
    // A server that refuses before reading the request answers with id null; it answers this request all the same.
    const ok = body.jsonrpc === '2.0' && (body.id === id || body.id === null) && typeof body.error?.code === 'number' && typeof body.error.message === 'string';
    return ok ? ({ jsonrpc: '2.0', id, error: body.error } as JSONRPCMessage) : undefined;
  } catch {
    return undefined;
  }
}
