// The admin API over Electron IPC. The preload script exposes one named function per contract method
// (generated from the contract's keys) and a subscription; the main process answers each on its own
// channel. What crosses the bridge is plain data: errors travel as an envelope and become ApiErrors
// again here, so the renderer sees exactly what the HTTP client would give it.
import { methods, type ApiEvent, type MethodName } from './contract.js';
import { ApiError } from './errors.js';
import type { ApiTransport } from './client.js';

export const IPC_CHANNELS = {
  call: (method: MethodName) => `gatehouse:api:${method}`,
  subscribe: 'gatehouse:events:subscribe',
  unsubscribe: 'gatehouse:events:unsubscribe',
  event: 'gatehouse:events:event',
  closed: 'gatehouse:events:closed',
} as const;

export type IpcEnvelope = { ok: true; value: unknown } | { ok: false; error: { error: string; message: string; problems?: string[] } };

/** What the preload script puts on `window.gatehouse`. */
export interface IpcBridge {
  api: Record<MethodName, (input: unknown) => Promise<IpcEnvelope>>;
  subscribe(onEvent: (event: ApiEvent) => void, onClose: (reason?: string) => void): () => void;
}

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function ipcTransport(bridge: IpcBridge): ApiTransport {
  return {
    async call(method, input) {
      if (!Object.hasOwn(bridge.api, method)) throw new ApiError('not_found', `There is no method "${method}".`);
      const envelope = await bridge.api[method as MethodName](input ?? {});
      if (!envelope.ok) throw ApiError.from(envelope.error, 0);
      return envelope.value;
    },
    subscribe: (onEvent, onClose) => bridge.subscribe(onEvent, (reason) => onClose?.(reason)),
  };
}
