// A client's stdio bridge beside the Gatehouse already serving its home: rather than a second core on the
// same files (its calls waiting for a person's yes seen by no window, its servers started twice), it
// relays the client's messages to the running one's endpoint.
import { runBridge } from '../connect/index.js';
import { connectionRefused } from '../upstream/index.js';
import { runningGateway } from './instance.js';

export interface RelayOptions {
  instanceFile: string;
  /** One approved server alone, under its own names (the endpoint `/mcp/servers/<name>`). */
  only?: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  log: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for a Gatehouse that is starting (0: only one that already runs), unless `gaveUp` says it will not come. */
  waitMs?: number;
  gaveUp?: () => boolean;
}

const POLL_MS = 200;

/** A running Gatehouse that will not serve the one server asked for (unknown, quarantined, disabled…). */
export class RelayRefused extends Error {
  override name = 'RelayRefused';
}

/**
 * Relays stdin and stdout to the running Gatehouse until either side ends; undefined when none runs.
 * Throws RelayRefused, saying why, when `only` names a server the running one does not serve.
 */
export async function relayStdio(o: RelayOptions): Promise<{ url: string; closed: Promise<void>; close: () => Promise<void> } | undefined> {
  const found = await gatewayWithin(o);
  if (!found) return undefined;
  if (found.unavailable) throw new RelayRefused(found.unavailable);
  const url = o.only === undefined ? found.url : `${found.url}/servers/${encodeURIComponent(o.only)}`;
  let token = found.token;
  let stopping = false;
  let bridge: Awaited<ReturnType<typeof runBridge>> | undefined;
  // A token the person replaced since (the window's "new token") is asked for again, once a request is refused.
  const authed: typeof fetch = async (input, init) => {
    const send = (using: string) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${using}`);
      return fetch(input, { ...init, headers });
    };
    const used = token;
    const answer = await send(used).catch((err: unknown) => {
      // The Gatehouse relayed to has stopped: the bridge ends too, so the client sees its server gone (and
      // starts it again, to a Gatehouse that runs) rather than an error for every message from now on.
      if (connectionRefused(err) && !stopping) {
        stopping = true;
        o.log(`The Gatehouse at ${found.url} has stopped: this bridge ends with it`);
        setTimeout(() => void bridge?.close(), 0);
      }
      throw err;
    });
    if (answer.status !== 401) return answer;
    // Another request may have learnt the new token meanwhile; else the running Gatehouse is asked for it.
    if (token === used) {
      const now = await runningGateway(o.instanceFile, o.env).catch(() => undefined);
      if (!now || now.token === used) return answer;
      token = now.token;
    }
    await answer.body?.cancel().catch(() => undefined);
    return send(token);
  };
  // A client closes stdin as it quits (the stdio transport's shutdown): nobody is left to hear an answer.
  bridge = await runBridge({ url, fetch: authed, input: o.input, output: o.output, log: o.log, inputEnd: 'cancel' });
  return { url, ...bridge };
}

/** The running Gatehouse's endpoint, asked for until it answers, `waitMs` passes or `gaveUp` says so. */
async function gatewayWithin(o: RelayOptions): Promise<Awaited<ReturnType<typeof runningGateway>>> {
  const until = Date.now() + (o.waitMs ?? 0);
  for (;;) {
    const running = await runningGateway(o.instanceFile, o.env, o.only);
    if (running || Date.now() >= until || o.gaveUp?.()) return running;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
