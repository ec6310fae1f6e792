// `gatehouse connect <url>`: one remote server on stdin/stdout, signed in the same way the gateway signs its
// servers in. Messages pass through unchanged; when the server wants a sign-in (or more scope), the
// browser opens, and the message that needed it is sent again once — never in a loop.
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import type { SignInSession } from '../auth/index.js';
import { describeConnectError, loadClientSdk, readLines } from '../upstream/index.js';

export interface BridgeOptions {
  url: string;
  session: SignInSession;
  /** Shows the authorization page (the browser, and the address on stderr). */
  open: (url: string) => void;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  log: (text: string) => void;
}

/** Sign-ins one message may cause: the first, and one step-up. */
const SIGN_INS_PER_MESSAGE = 2;

export async function runBridge(o: BridgeOptions): Promise<{ closed: Promise<void>; close: () => Promise<void> }> {
  const { SSEClientTransport, StreamableHTTPClientTransport } = await loadClientSdk();
  const url = new URL(o.url);
  const remote: Transport = /\/sse\/?$/.test(url.pathname) ? new SSEClientTransport(url, { fetch: o.session.fetch }) : new StreamableHTTPClientTransport(url, { fetch: o.session.fetch });
  const write = (message: JSONRPCMessage) => o.output.write(`${JSON.stringify(message)}\n`);
  remote.onmessage = write;
  remote.onerror = (err) => o.log(`remote: ${describeConnectError(err, o.url) ?? err.message}`);
  let ended!: () => void;
  const closed = new Promise<void>((resolve) => (ended = resolve));
  remote.onclose = () => ended();

  const forward = async (message: JSONRPCMessage, signIns = 0): Promise<void> => {
    try {
      await remote.send(message);
    } catch (err) {
      if (o.session.signInNeeded && signIns < SIGN_INS_PER_MESSAGE) {
        o.log(`${o.url} ${o.session.signInNeeded.split(':')[0]}: signing in`);
        try {
          await o.session.signIn({ open: o.open });
          return forward(message, signIns + 1);
        } catch (signInError) {
          err = signInError;
        }
      }
      const text = describeConnectError(err, o.url) ?? (err as Error).message;
      o.log(text);
      if ('id' in message && 'method' in message) write({ jsonrpc: '2.0', id: message.id, error: { code: -32001, message: text } });
    }
  };

  // Only SSE needs its stream open first; Streamable HTTP starts with the first message.
  if (remote instanceof SSEClientTransport) {
    try {
      await remote.start();
    } catch (err) {
      if (!o.session.signInNeeded) throw err;
      await o.session.signIn({ open: o.open });
      await remote.start();
    }
  } else {
    await remote.start();
  }
  const inFlight = new Set<Promise<void>>();
  readLines(o.input, (line) => {
    let message: JSONRPCMessage;
    try {
      message = JSON.parse(line) as JSONRPCMessage;
    } catch {
      return o.log(`not JSON-RPC on stdin: ${line.slice(0, 200)}`);
    }
    const sent = forward(message).finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  });
  const close = async () => {
    await remote.close().catch(() => undefined);
    ended();
  };
  // A client that writes its requests and closes stdin still gets what was sent, or why it failed.
  o.input.on('end', () => void Promise.allSettled([...inFlight]).then(close));
  return { closed, close };
}
