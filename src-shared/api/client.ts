// A typed client of the admin API over any transport. The UI and the CLI use this and nothing else.
import type { ApiEvent, MethodInput, MethodName, MethodOutput } from './contract.js';

/** What carries the API: HTTP + SSE, in memory, or Electron IPC. */
export interface ApiTransport {
  call(method: string, input: unknown): Promise<unknown>;
  /** Delivers every event until the returned function is called. */
  subscribe(onEvent: (event: ApiEvent) => void, onClose?: (reason?: string) => void): () => void;
}

export interface ApiClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  subscribe(onEvent: (event: ApiEvent) => void, onClose?: (reason?: string) => void): () => void;
}

export function createApiClient(transport: ApiTransport): ApiClient {
  return {
    call: (method, input) => transport.call(method, input) as Promise<never>,
    subscribe: (onEvent, onClose) => transport.subscribe(onEvent, onClose),
  };
}
