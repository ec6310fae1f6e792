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

/** Relays stdin and stdout to the running Gatehouse until either side ends; undefined when none runs. */
export async function relayStdio(o: RelayOptions): Promise<{ url: string; closed: Promise<void>; close: () => Promise<void> } | undefined> {
  const until = Date.now() + (o.waitMs ?? 0);
  let running = await runningGateway(o.instanceFile, o.env);
  while (!running && Date.now() < until && !o.gaveUp?.()) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    running = await runningGateway(o.instanceFile, o.env);
  }
  if (!running) return undefined;
  const found = running;
  const url = o.only === undefined ? found.url : `${found.url}/servers/${encodeURIComponent(o.only)}`;
  let token = found.token;
  let stopping = false;
  let bridge: Awaited<ReturnType<typeof runBridge>> | undefined;
  // A token the person replaced since (the window's "new token") is asked for again, once a request is refused.
  const authed: typeof fetch = async (input, init) => {
    const send = () => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    };
    const answer = await send().catch((err: unknown) => {
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
    const now = await runningGateway(o.instanceFile, o.env).catch(() => undefined);
    if (!now || now.token === token) return answer;
    token = now.token;
    await answer.body?.cancel().catch(() => undefined);
    return send();
  };
  bridge = await runBridge({ url, fetch: authed, input: o.input, output: o.output, log: o.log });
  return { url, ...bridge };
}
