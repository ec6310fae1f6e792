// The preload side of the admin API over IPC: one function per contract method, built from the
// contract's keys, and one event subscription. Takes ipcRenderer as an argument (the preload script
// passes Electron's), so it runs and is tested without Electron.
import { IPC_CHANNELS, METHOD_NAMES, type ApiEvent, type IpcBridge, type IpcEnvelope, type MethodName } from '../../../src-shared/api/index.js';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createIpcBridge(ipc: IpcRendererLike): IpcBridge {
  const api = Object.fromEntries(
    METHOD_NAMES.map((method) => [method, (input: unknown) => ipc.invoke(IPC_CHANNELS.call(method), input) as Promise<IpcEnvelope>]),
  ) as Record<MethodName, (input: unknown) => Promise<IpcEnvelope>>;
  return {
    api,
    subscribe(onEvent, onClose) {
      const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
      const deliver = (_e: unknown, subscription: unknown, event: unknown) => {
        if (subscription === id) onEvent(event as ApiEvent);
      };
      const closed = (_e: unknown, subscription: unknown, reason: unknown) => {
        if (subscription !== id) return;
        stop();
        onClose(typeof reason === 'string' ? reason : undefined);
      };
      const stop = () => {
        ipc.removeListener(IPC_CHANNELS.event, deliver);
        ipc.removeListener(IPC_CHANNELS.closed, closed);
      };
      ipc.on(IPC_CHANNELS.event, deliver);
      ipc.on(IPC_CHANNELS.closed, closed);
      ipc.send(IPC_CHANNELS.subscribe, id);
      return () => {
        ipc.send(IPC_CHANNELS.unsubscribe, id);
        stop();
        onClose();
      };
    },
  };
}
