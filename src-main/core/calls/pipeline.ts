// The one path every tool call takes, whoever makes it — an agent through the gateway (search or direct
// mode) or a person through the admin API (UI, CLI):
//   lookup → availability → the person's rule (allow / ask / deny) → the upstream call → result shaping
//   (long results paged; secrets scrubbed from errors and records) → `recorded` listeners (the activity log).
// A tool's own result is passed on as the tool gave it: what a tool returns is the tool's business.
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { ToolDefinition } from '../../../src-shared/catalog.js';
import { parseToolId, toolId } from '../../../src-shared/ids.js';
import type { CallRule } from '../../../src-shared/trust.js';
import type { CallOptions, UpstreamServer } from '../upstream/index.js';
import { UpstreamError } from '../upstream/index.js';
import { describeSmuggled, hashTool, removeSmuggledText } from '../security/index.js';
import type { Visibility, VisibleSet } from '../visibility/index.js';
import { lookupTool } from './lookup.js';
import { ResultPages, type Cut } from './result-pages.js';

/** Who makes a call: an agent (through an AI client) or a person (the UI or the CLI, through the admin API). */
export interface Caller {
  kind: 'agent' | 'person';
  /** Which face it came through. */
  via: 'gateway' | 'admin';
  /** The client's name and version as it introduced itself, when known. */
  client?: string;
  /** Which of the client's sessions (an agent's), for the activity log. */
  session?: string;
}

export interface CallRequest {
  /** `<server>__<tool>`, or a bare tool name when only one server has it. */
  id: string;
  arguments: Record<string, unknown>;
  by: Caller;
  /** Passed to the upstream call: cancellation, progress, where server requests go. */
  upstream?: CallOptions;
  /**
   * How an "ask" rule asks the person for this caller: through the agent's client (MCP elicitation) when
   * it can; returns undefined when it cannot, and Gatehouse asks in its own UI.
   */
  askThroughClient?: (id: string, tool: ToolDefinition, args: Record<string, unknown>) => Promise<boolean> | undefined;
  /** Called while the call waits for a person; the returned function is called when the wait ends. */
  whileWaiting?: () => () => void;
  /** Cut results longer than this many characters, keeping the rest behind a `read_result` handle. */
  maxChars?: number;
  /** What this caller may see, when it is limited to some servers; else every visible server. */
  visibility?: VisibleSet;
}

export type CallStatus = 'ok' | 'error' | 'unknown' | 'unavailable' | 'denied' | 'declined' | 'cancelled';

/** What happened, for the activity log: values only as redacted, cut text. */
export interface CallRecord {
  id: string;
  server?: string;
  /** The tool called; for a read, the resource's URI or the prompt's name. */
  tool?: string;
  /** Not a tool call but a read an agent made: a resource read or a prompt got. */
  read?: 'resource' | 'prompt';
  by: Caller;
  status: CallStatus;
  rule?: CallRule;
  /** Who answered an "ask": the person through the client, in Gatehouse, or nobody in time. */
  approval?: { allowed: boolean; by: string };
  arguments: string;
  /** What came back (redacted, cut), when someone listens. */
  result?: string;
  /** Why it did not succeed (redacted). */
  error?: string;
  /** Hidden text taken out of the answer: how much, and what it spelled (redacted, cut). */
  hidden?: string;
  startedAt: number;
  durationMs: number;
}

export interface CallOutcome {
  result: CallToolResult;
  record: CallRecord;
  /** The upstream's own failure (unreachable, timed out), for faces that report it as an error of their own. */
  failure?: UpstreamError;
  /** The result was cut: the rest waits behind `cut.handle`. */
  cut?: Cut;
}

export interface PipelineDeps {
  visibility: Visibility;
  rule: (server: string, tool: ToolDefinition) => CallRule;
  upstream: (server: string) => UpstreamServer | undefined;
  /** Asks the person in Gatehouse (UI, notification, CLI); no answer in time is a no. */
  askPerson: (call: { server: string; tool: string; arguments: Record<string, unknown>; client?: string }, signal?: AbortSignal) => Promise<{ allowed: boolean; by: string }>;
  /** Scrubs known secrets from error messages and records. */
  redact: (text: string) => string;
  maxResultChars: () => number;
  /** Whether characters that spell words no screen draws are taken out of answers (config's removeHiddenText). */
  removeHiddenText: () => boolean;
  /** Runs the upstream call inside a trace span; just runs it when tracing is off. */
  trace?: <T>(name: string, attributes: Record<string, string>, work: () => Promise<T>, options?: { kind?: 'server' | 'client' }) => Promise<T>;
}

export type CallListener = (record: CallRecord) => void;

export class CallPipeline {
  readonly pages: ResultPages;
  private readonly listeners = new Set<CallListener>();

  constructor(private readonly deps: PipelineDeps) {
    this.pages = new ResultPages(deps.maxResultChars);
  }

  /** Listens to every finished call (the activity log). Returns the function that stops listening. */
  onRecorded(listener: CallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async call(request: CallRequest): Promise<CallOutcome> {
    const startedAt = Date.now();
    const base = { id: request.id, by: request.by, startedAt };
    let args = request.arguments;
    const finish = (outcome: Omit<CallOutcome, 'record'> & { record: Omit<CallRecord, 'durationMs' | 'startedAt' | 'id' | 'by' | 'arguments'> }): CallOutcome => {
      const record: CallRecord = { ...base, arguments: '', ...outcome.record, durationMs: Date.now() - startedAt };
      const shownArgs = args;
      this.tellLater(() => {
        record.arguments = this.shownArguments(shownArgs);
        if (record.status === 'ok') record.result = this.shownResult(outcome.result);
        return record;
      });
      return { ...outcome, record };
    };

    // A server approved before it was ever listed is listed now: its tools are needed to find the one called.
    const named = parseToolId(request.id);
    const pending = named ? this.deps.visibility.listIfNew(named.server) : undefined;
    const listing = pending && (await pending);
    if (listing && named) {
      const message = this.deps.redact(listing.message);
      const failure = listing instanceof UpstreamError ? new UpstreamError(message, listing.kind) : new UpstreamError(message, 'failed');
      return finish({ result: text(message, true), failure, record: { server: named.server, tool: named.tool, status: 'error', error: message } });
    }
    const found = lookupTool(request.visibility ?? this.deps.visibility, request.id);
    if (!found.ok) {
      const status = found.reason === 'unavailable' ? 'unavailable' : 'unknown';
      return finish({ result: text(found.error, true), record: { server: found.server, tool: found.tool, status, error: found.error } });
    }
    const { server, tool } = found;
    const id = toolId(server, tool.name);
    base.id = id;
    args = unwrapArguments(args, tool);
    const where = { server, tool: tool.name };

    const rule = this.deps.rule(server, tool);
    let approval: CallRecord['approval'];
    if (rule === 'deny') {
      const error =
        request.by.kind === 'person'
          ? `The call to ${id} was not made: your policy in Gatehouse denies it (gatehouse policy set ${id} allow changes that).`
          : `The call to ${id} was not made: your policy in Gatehouse denies it.`;
      return finish({ result: text(error, true), record: { ...where, status: 'denied', rule, error } });
    }
    if (rule === 'ask') {
      if (request.by.kind === 'person') {
        // The person making the call is the one who would be asked: their call is their yes.
        approval = { allowed: true, by: 'caller' };
      } else {
        approval = await this.ask(request, server, tool, id, args);
        // The answer was to the tool as it stood when asked: blocked, held back, changed or denied since, it is not called.
        const meanwhile = approval.allowed || approval.by === 'cancelled' ? this.changedSince(request, id, tool) : undefined;
        if (meanwhile) {
          const error = `The call to ${id} was not made: while it waited for a yes, ${meanwhile}`;
          return finish({ result: text(error, true), record: { ...where, status: 'unavailable', rule, approval, error } });
        }
        if (!approval.allowed) {
          // The client that went (or cancelled) hears nothing, but the record says who ended the wait.
          if (approval.by === 'cancelled') {
            const why = request.upstream?.signal?.aborted ? 'the client withdrew it before anyone answered' : 'Gatehouse stopped before anyone answered';
            const error = `The call to ${id} was not made: ${why}.`;
            return finish({ result: text(error, true), record: { ...where, status: 'cancelled', rule, approval, error } });
          }
          const why = approval.by === 'timeout' ? 'no one answered in time' : 'they declined it';
          const error = `The call to ${id} was not made: the person did not approve it (${why}).`;
          return finish({ result: text(error, true), record: { ...where, status: 'declined', rule, approval, error } });
        }
      }
    }

    const upstream = this.deps.upstream(server);
    if (!upstream) {
      const error = `No server "${server}" is available.`;
      return finish({ result: text(error, true), record: { ...where, status: 'unknown', rule, error } });
    }
    // Invalid arguments: give the agent the schema, so it can retry right.
    const withSchema = (message: string) => text(`${message}\nThe tool's input schema: ${JSON.stringify(tool.inputSchema)}`, true);
    let result: CallToolResult;
    try {
      const call = () => upstream.callTool(tool.name, args, request.upstream);
      const trace = this.deps.trace;
      result = await (trace ? trace(`upstream tools/call`, { 'gatehouse.server': server, 'gatehouse.tool': tool.name }, call, { kind: 'client' }) : call());
    } catch (err) {
      const message = this.deps.redact(errorText(err));
      const shaped = (err as { code?: unknown }).code === -32602 || aboutArguments(message) ? withSchema(message) : text(message, true);
      const failure = err instanceof UpstreamError ? new UpstreamError(message, err.kind) : undefined;
      const status = failure?.kind === 'cancelled' ? 'cancelled' : 'error';
      return finish({ result: shaped, failure, record: { ...where, status, rule, approval, error: message } });
    }
    const { answer: cleaned, hidden } = this.withoutHiddenText(result);
    result = cleaned;
    if (result.isError) {
      const message = (result.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');
      if (aboutArguments(message)) result = withSchema(message);
    }
    const fitted = request.maxChars === undefined ? { result } : this.pages.fit(result, request.maxChars);
    const error = result.isError ? this.deps.redact(firstText(result).slice(0, 500)) : undefined;
    return finish({ ...fitted, record: { ...where, status: result.isError ? 'error' : 'ok', rule, approval, ...(error !== undefined ? { error } : {}), ...(hidden ? { hidden } : {}) } });
  }

  /** What made a tool unusable since `tool` was looked up, in words for the agent; undefined when nothing did. */
  private changedSince(request: CallRequest, id: string, tool: ToolDefinition): string | undefined {
    const now = lookupTool(request.visibility ?? this.deps.visibility, id);
    if (!now.ok) return `it became unavailable. ${now.error}`;
    if (hashTool(now.tool) !== hashTool(tool)) return 'its definition changed.';
    if (this.deps.rule(now.server, now.tool) === 'deny') return 'your policy in Gatehouse came to deny it.';
    return undefined;
  }

  /** The next part of a cut result. */
  readResult(handle: string, offset = 0, maxChars?: number): CallToolResult {
    return this.pages.read(handle, offset, maxChars);
  }

  private async ask(request: CallRequest, server: string, tool: ToolDefinition, id: string, args: Record<string, unknown>): Promise<{ allowed: boolean; by: string }> {
    const stop = request.whileWaiting?.() ?? (() => undefined);
    try {
      const throughClient = request.askThroughClient?.(id, tool, args);
      if (throughClient) return { allowed: await throughClient, by: 'client' };
      return await this.deps.askPerson({ server, tool: tool.name, arguments: args, ...(request.by.client ? { client: request.by.client } : {}) }, request.upstream?.signal);
    } finally {
      stop();
    }
  }

  /**
   * A server's answer with the characters that spell words no screen draws taken out (unless the person
   * turned that off), and what they spelled, for the record.
   */
  withoutHiddenText<T>(answer: T): { answer: T; hidden?: string } {
    if (!this.deps.removeHiddenText()) return { answer };
    const { value, smuggled } = removeSmuggledText(answer);
    return smuggled ? { answer: value, hidden: describeSmuggled(smuggled, this.deps.redact) } : { answer };
  }

  /**
   * A resource read or a prompt got through the gateway, for the listeners (the activity log): what an agent
   * read is on record beside what it called. `result` is the server's answer (redacted and cut here).
   */
  noteRead(read: { kind: 'resource' | 'prompt'; server: string; name: string; by: Caller; arguments?: Record<string, unknown>; startedAt: number; result?: unknown; error?: unknown; hidden?: string }): void {
    const durationMs = Date.now() - read.startedAt;
    this.tellLater(() => ({
      id: randomUUID(),
      server: read.server,
      tool: read.name,
      read: read.kind,
      by: read.by,
      status: read.error === undefined ? 'ok' : 'error',
      arguments: read.arguments ? this.shownArguments(read.arguments) : '',
      ...(read.error === undefined ? { result: cut(this.deps.redact(readText(read.result)), 4000) } : { error: this.deps.redact(errorText(read.error)).slice(0, 500) }),
      ...(read.hidden ? { hidden: read.hidden } : {}),
      startedAt: read.startedAt,
      durationMs,
    }));
  }

  /**
   * Listeners (the activity log, metrics) hear of a call or read once its answer is on its way: showing its
   * arguments and result (redacted, cut) costs nothing on the request's path, and nothing when nobody listens.
   */
  private tellLater(record: () => CallRecord): void {
    if (!this.listeners.size) return;
    setImmediate(() => {
      const made = record();
      for (const listener of this.listeners) {
        try {
          listener(made);
        } catch {
          // A listener's fault never fails a request.
        }
      }
    });
  }

  private shownArguments(args: Record<string, unknown>): string {
    return cut(this.deps.redact(JSON.stringify(args) ?? '{}'), 2000);
  }

  /** A result as a person reads it: its text blocks, else its structured content, else the blocks as JSON. */
  private shownResult(result: CallToolResult): string {
    const texts = (result.content ?? []).filter((c) => c.type === 'text').map((c) => (c as { text: string }).text);
    const shown = texts.length ? texts.join('\n') : JSON.stringify(result.structuredContent ?? result.content ?? []);
    return cut(this.deps.redact(shown), 4000);
  }
}

/** A resource's contents or a prompt's messages as a person reads them: their text, else the answer as JSON. */
function readText(result: unknown): string {
  const r = (result ?? {}) as { contents?: { text?: unknown }[]; messages?: { content?: { text?: unknown } }[] };
  const texts = [...(r.contents ?? []).map((c) => c.text), ...(r.messages ?? []).map((m) => m.content?.text)].filter((t): t is string => typeof t === 'string');
  return texts.length ? texts.join('\n') : (JSON.stringify(result) ?? '');
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function text(value: string, isError = false): CallToolResult {
  return { content: [{ type: 'text', text: value }], ...(isError ? { isError: true } : {}) };
}

/** A common slip: the arguments wrapped once more in {"arguments": {...}} (unless the tool takes an `arguments`). */
function unwrapArguments(args: Record<string, unknown>, tool: ToolDefinition): Record<string, unknown> {
  const inner = args.arguments;
  const keys = Object.keys(args);
  if (keys.length === 1 && keys[0] === 'arguments' && inner && typeof inner === 'object' && !Array.isArray(inner) && !Object.hasOwn(tool.inputSchema.properties ?? {}, 'arguments')) {
    return inner as Record<string, unknown>;
  }
  return args;
}

const aboutArguments = (message: string) => /invalid (params|arguments)|input validation|-32602/i.test(message);

function firstText(result: CallToolResult): string {
  const first = (result.content ?? []).find((c) => c.type === 'text');
  return first && first.type === 'text' ? first.text : '';
}

function errorText(err: unknown): string {
  if (err instanceof UpstreamError) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  return `The tool call failed: ${message}`;
}
