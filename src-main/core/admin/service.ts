// The admin API, implemented once: validates every input against the contract, runs the handler, and
// turns the core's errors into API errors. Adapters (HTTP, in-memory, Electron IPC) only carry it.
import { ApiError, isMethodName, methods, type ApiEvent, type MethodName } from '../../../src-shared/api/index.js';
import type { ServerConfig } from '../../../src-shared/config/schema.js';
import type { Actor } from '../activity/index.js';
import { NoSignIn, SignInFailed, SignInRequired } from '../auth/index.js';
import { MalformedFile } from '../clients/index.js';
import { ConfigError, describeIssues } from '../config/index.js';
import { TokenFromEnvironment } from '../host/index.js';
import { SecretStoreUnavailable } from '../secrets/index.js';
import { targetOf, TrustWriteError } from '../security/index.js';
import { UpstreamError } from '../upstream/index.js';
import { EventHub, type Subscriber } from './event-hub.js';
import { createHandlers, type Handlers } from './handlers.js';
import type { AdminCore } from './port.js';
import { wireEvents } from './wire-events.js';

/** The methods that change something (or reveal a secret): each is kept in the activity log with who did it. */
const AUDITED = new Set<string>([
  'servers.add', 'servers.update', 'servers.pinRelease', 'servers.pinImage', 'servers.remove', 'servers.enable', 'servers.disable', 'servers.restart', 'servers.approve', 'servers.block',
  'policy.set', 'policy.strict', 'approvals.answer', 'secrets.set', 'secrets.delete', 'secrets.reveal', 'settings.set', 'settings.pinImages', 'gateway.rotateToken',
  'auth.login', 'auth.logout', 'clients.connect', 'clients.disconnect', 'clients.undo', 'clients.import', 'clients.profile', 'vault.keygen',
]);

export class AdminService {
  private readonly hub = new EventHub();
  private readonly handlers: Handlers;
  private readonly unwire: () => void;

  constructor(private readonly core: AdminCore) {
    this.handlers = createHandlers(core, (event) => this.hub.publish(event));
    this.unwire = wireEvents(core, (event) => this.hub.publish(event));
  }

  /** Runs a method for a person: `actor` says where they are (the window or the command line), for the activity log. */
  async call(method: string, input: unknown, actor: Extract<Actor, `person:${string}`> = 'person:cli'): Promise<unknown> {
    if (!isMethodName(method)) throw new ApiError('not_found', `There is no method "${method}". The methods are listed in docs/admin-api.md.`);
    const spec = methods[method];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      const problems = describeIssues(parsed.error);
      throw new ApiError('invalid_input', `Invalid input for ${method}: ${problems.join('; ')}`, problems);
    }
    const audited = AUDITED.has(method);
    try {
      const output = await (this.handlers[method] as (i: unknown, actor: Actor) => Promise<unknown>)(parsed.data, actor);
      if (audited) this.audit(method, parsed.data as Record<string, unknown>, actor, 'ok');
      return output;
    } catch (err) {
      const apiError = toApiError(err);
      // An error message may quote a URL or a header with a secret in it.
      const message = this.core.redact(apiError.message);
      if (audited) this.audit(method, parsed.data as Record<string, unknown>, actor, apiError.code, message);
      throw message === apiError.message ? apiError : new ApiError(apiError.code, message, apiError.problems);
    }
  }

  /** A person's change, for the activity log: what they did and to what, never a secret's value. */
  private audit(method: string, input: Record<string, unknown>, actor: Actor, status: string, error?: string): void {
    const { config, value: _value, ...rest } = input;
    const detail = { ...rest, ...(config ? { runs: targetOf(config as ServerConfig) } : {}) };
    this.core.activity.record({
      at: Date.now(),
      kind: 'admin',
      actor,
      server: typeof input.name === 'string' && !method.startsWith('secrets.') ? input.name : typeof input.server === 'string' ? input.server : undefined,
      tool: method,
      status,
      detail: this.core.redact(JSON.stringify(detail)),
      error,
    });
  }

  subscribe(subscriber: Subscriber): () => void {
    return this.hub.subscribe(subscriber);
  }

  /** Publishes an event to every subscriber (used by the core's own long operations). */
  publish(event: ApiEvent): void {
    this.hub.publish(event);
  }

  get subscriberCount(): number {
    return this.hub.size;
  }

  close(): void {
    this.unwire();
    this.hub.closeAll();
  }
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ConfigError) {
    const code = err.kind === 'not_found' ? 'not_found' : err.kind === 'conflict' ? 'conflict' : 'invalid_input';
    return new ApiError(code, err.message, err.problems);
  }
  if (err instanceof UpstreamError) return new ApiError('unavailable', err.message);
  if (err instanceof SecretStoreUnavailable) return new ApiError('unavailable', err.message);
  if (err instanceof TokenFromEnvironment) return new ApiError('conflict', err.message);
  if (err instanceof TrustWriteError) return new ApiError('internal', err.message);
  if (err instanceof NoSignIn) return new ApiError('invalid_input', err.message);
  if (err instanceof MalformedFile) return new ApiError('invalid_input', err.message);
  if (err instanceof SignInFailed || err instanceof SignInRequired) return new ApiError('unavailable', `sign-in failed: ${err.message}`);
  // Anything else is a fault of ours: say so without a stack trace.
  return new ApiError('internal', `Gatehouse could not do that: ${err instanceof Error ? err.message : String(err)}`);
}

export type { MethodName };
