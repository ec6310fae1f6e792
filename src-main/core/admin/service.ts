// The admin API, implemented once: validates every input against the contract, runs the handler, and
// turns the core's errors into API errors. Adapters (HTTP, in-memory, Electron IPC) only carry it.
import { ApiError, isMethodName, methods, type ApiEvent, type MethodName } from '../../../src-shared/api/index.js';
import { ConfigError, describeIssues } from '../config/index.js';
import { TokenFromEnvironment } from '../host/index.js';
import { SecretStoreUnavailable } from '../secrets/index.js';
import { TrustWriteError } from '../security/index.js';
import { UpstreamError } from '../upstream/index.js';
import { EventHub, type Subscriber } from './event-hub.js';
import { createHandlers, type Handlers } from './handlers.js';
import type { AdminCore } from './port.js';
import { wireEvents } from './wire-events.js';

export class AdminService {
  private readonly hub = new EventHub();
  private readonly handlers: Handlers;
  private readonly unwire: () => void;

  constructor(private readonly core: AdminCore) {
    this.handlers = createHandlers(core, (event) => this.hub.publish(event));
    this.unwire = wireEvents(core, (event) => this.hub.publish(event));
  }

  async call(method: string, input: unknown): Promise<unknown> {
    if (!isMethodName(method)) throw new ApiError('not_found', `There is no method "${method}". The methods are listed in docs/admin-api.md.`);
    const spec = methods[method];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      const problems = describeIssues(parsed.error);
      throw new ApiError('invalid_input', `Invalid input for ${method}: ${problems.join('; ')}`, problems);
    }
    try {
      return await (this.handlers[method] as (i: unknown) => Promise<unknown>)(parsed.data);
    } catch (err) {
      const apiError = toApiError(err);
      // An error message may quote a URL or a header with a secret in it.
      const message = this.core.redact(apiError.message);
      throw message === apiError.message ? apiError : new ApiError(apiError.code, message, apiError.problems);
    }
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
  // Anything else is a fault of ours: say so without a stack trace.
  return new ApiError('internal', `Gatehouse could not do that: ${err instanceof Error ? err.message : String(err)}`);
}

export type { MethodName };
