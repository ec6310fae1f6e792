// Clients of the 2026-07-28 revision cannot be sent requests. When an upstream asks for sampling,
// elicitation or roots while serving such a client's call (or Gatehouse asks the person through the
// client), the call answers `input_required` with the upstream's requests; the client calls again with
// `inputResponses` and the `requestState` minted here, the upstream's requests get those answers, and
// its call goes on — across as many rounds as it asks. Flows live in this process, keyed by an
// unguessable id that the state (HMAC-sealed by the SDK's codec) carries.
import { randomBytes, randomUUID } from 'node:crypto';
import { CLIENT_CAPABILITIES_META_KEY, createRequestStateCodec, inputRequired, type ClientCapabilities } from '@modelcontextprotocol/server';

/** What a handler is given of the request: the SDK's context, as far as rounds need it. */
export interface RoundContext {
  mcpReq: {
    envelope?: Record<string, unknown>;
    inputResponses?: Record<string, unknown>;
    requestState: <T = unknown>() => T | undefined;
    signal: AbortSignal;
    send: (request: { method: string; params?: Record<string, unknown> }, options?: { signal?: AbortSignal }) => Promise<unknown>;
  };
}

type Step = { kind: 'input' } | { kind: 'done'; result: unknown } | { kind: 'failed'; error: unknown };

interface Flow {
  /** The upstream's requests not yet sent to the client. */
  asked: Map<string, { method: string; params?: Record<string, unknown> }>;
  /** Requests sent to the client, waiting for its answers. */
  waiting: Map<string, { resolve: (value: unknown) => void; reject: (err: Error) => void }>;
  next: number;
  ended?: Step;
  wake?: (step: Step) => void;
  expires: NodeJS.Timeout;
  abort: AbortController;
}

const FLOW_TTL_MS = 10 * 60_000;

export class InputRounds {
  private readonly flows = new Map<string, Flow>();
  private readonly codec = createRequestStateCodec<{ flow: string }>({ key: randomBytes(32), ttlSeconds: FLOW_TTL_MS / 1000 });
  /** For the SDK's `requestState.verify` hook: a state this process did not mint is refused before any handler runs. */
  readonly verify = this.codec.verify;

  /** Whether this request is of the 2026-07-28 revision (it carries its own envelope). */
  static isModern(ctx: RoundContext): boolean {
    return ctx.mcpReq.envelope !== undefined;
  }

  /** The client capabilities a 2026-07-28 request declares. */
  static capabilities(ctx: RoundContext): ClientCapabilities | undefined {
    return ctx.mcpReq.envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
  }

  /**
   * Runs a request for a 2026-07-28 client. A first round starts `work` with a context whose `send` turns
   * into input rounds; a later round hands the client's answers to the flow its state names.
   */
  async run(ctx: RoundContext, work: (ctx: RoundContext) => Promise<unknown>): Promise<unknown> {
    const state = ctx.mcpReq.requestState<{ flow: string }>();
    if (state) {
      const flow = this.flows.get(state.flow);
      if (!flow) throw new Error('This request continues one that has ended or expired: make the request again from the start.');
      for (const [key, answer] of Object.entries(ctx.mcpReq.inputResponses ?? {})) {
        flow.waiting.get(key)?.resolve(answer);
        flow.waiting.delete(key);
      }
      return this.nextRound(state.flow, flow, ctx);
    }
    const id = randomUUID();
    const abort = new AbortController();
    const flow: Flow = {
      asked: new Map(),
      waiting: new Map(),
      next: 1,
      abort,
      expires: setTimeout(() => this.end(id, new Error('no answer from the client in time')), FLOW_TTL_MS).unref(),
    };
    this.flows.set(id, flow);
    const send: RoundContext['mcpReq']['send'] = (request) =>
      new Promise((resolve, reject) => {
        if (flow.ended) return reject(new Error('the request has ended'));
        const key = `input-${flow.next++}`;
        flow.waiting.set(key, { resolve, reject });
        flow.asked.set(key, request);
        flow.wake?.({ kind: 'input' });
      });
    // The work outlives this first round: it stops when the flow ends, not when this HTTP request does.
    const inner: RoundContext = { ...ctx, mcpReq: { ...ctx.mcpReq, send, signal: abort.signal } };
    work(inner).then(
      (result) => this.settle(flow, { kind: 'done', result }),
      (error) => this.settle(flow, { kind: 'failed', error }),
    );
    return this.nextRound(id, flow, ctx);
  }

  /** Waits for the flow to ask the client something or to finish, and answers this round with it. */
  private async nextRound(id: string, flow: Flow, ctx: RoundContext): Promise<unknown> {
    // A client that gives up on a round (cancels, disconnects) ends the flow.
    const cancelled = () => this.end(id, new Error('the client cancelled the request'));
    ctx.mcpReq.signal.addEventListener('abort', cancelled);
    const step = flow.ended ?? (flow.asked.size ? { kind: 'input' as const } : await new Promise<Step>((resolve) => (flow.wake = resolve)));
    ctx.mcpReq.signal.removeEventListener('abort', cancelled);
    flow.wake = undefined;
    if (step.kind === 'done') {
      this.forget(id);
      return step.result;
    }
    if (step.kind === 'failed') {
      this.forget(id);
      throw step.error;
    }
    const inputRequests = Object.fromEntries(flow.asked);
    flow.asked.clear();
    return inputRequired({ inputRequests: inputRequests as never, requestState: await this.codec.mint({ flow: id }) });
  }

  private settle(flow: Flow, step: Step): void {
    flow.ended = step;
    flow.wake?.(step);
  }

  /** Ends a flow whose client went away: its waiting requests fail, and its work is told to stop. */
  private end(id: string, reason: Error): void {
    const flow = this.flows.get(id);
    if (!flow) return;
    for (const w of flow.waiting.values()) w.reject(reason);
    flow.abort.abort(reason);
    this.settle(flow, { kind: 'failed', error: reason });
    this.forget(id);
  }

  private forget(id: string): void {
    const flow = this.flows.get(id);
    if (flow) clearTimeout(flow.expires);
    this.flows.delete(id);
  }

  close(): void {
    for (const id of [...this.flows.keys()]) this.end(id, new Error('Gatehouse is stopping'));
  }
}
