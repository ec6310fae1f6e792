// The main-process side of the admin API over IPC: one handler per contract method. Each checks the
// sender (only the app's own window may call) and hands the input to the admin service, which validates
// it against the contract's schema. Takes ipcMain as an argument, so it runs and is tested without Electron.
import { ApiError, IPC_CHANNELS, METHOD_NAMES, type ApiEvent, type IpcEnvelope } from '../../../src-shared/api/index.js';

export interface IpcSender {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
  isDestroyed(): boolean;
}

export interface IpcMainEventLike {
  sender: IpcSender;
  /** The frame that sent the message; null when it navigated away or was destroyed. */
  senderFrame: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, handler: (event: IpcMainEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void): unknown;
}

/** What the handlers need of the core's admin service. */
export interface AdminServiceLike {
  /** `person:ui`: whoever calls over IPC is a person in the window. */
  call(method: string, input: unknown, actor: 'person:ui'): Promise<unknown>;
  subscribe(subscriber: { deliver(event: ApiEvent): boolean; close(reason?: string): void }): () => void;
}

function failure(err: unknown): IpcEnvelope {
  const apiError = err instanceof ApiError ? err : new ApiError('internal', 'internal error');
  return { ok: false, error: apiError.toJSON() };
}

/** Serves the admin API to the app's own window. Returns a function that takes every handler away. */
export function serveAdminOverIpc(ipc: IpcMainLike, service: AdminServiceLike, trusted: (frameUrl: string) => boolean): () => void {
  const allowed = (event: IpcMainEventLike) => event.senderFrame !== null && trusted(event.senderFrame.url);
  const refused = (): IpcEnvelope => failure(new ApiError('forbidden', 'Only the Gatehouse window may use the admin API over IPC.'));

  for (const method of METHOD_NAMES) {
    ipc.handle(IPC_CHANNELS.call(method), async (event, input) => {
      if (!allowed(event)) return refused();
      try {
        return { ok: true, value: await service.call(method, input, 'person:ui') } satisfies IpcEnvelope;
      } catch (err) {
        return failure(err);
      }
    });
  }

  const subscriptions = new Map<string, () => void>();
  const key = (sender: IpcSender, id: string) => `${sender.id}:${id}`;
  const onSubscribe = (event: IpcMainEventLike, id: unknown) => {
    if (!allowed(event) || typeof id !== 'string' || subscriptions.has(key(event.sender, id))) return;
    const sender = event.sender;
    const k = key(sender, id);
    const unsubscribe = service.subscribe({
      deliver: (apiEvent) => {
        if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.event, id, apiEvent);
        return true;
      },
      close: (reason) => {
        subscriptions.delete(k);
        if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.closed, id, reason);
      },
    });
    subscriptions.set(k, unsubscribe);
    sender.once('destroyed', () => subscriptions.get(k)?.());
  };
  const onUnsubscribe = (event: IpcMainEventLike, id: unknown) => {
    if (typeof id === 'string') subscriptions.get(key(event.sender, id))?.();
  };
  ipc.on(IPC_CHANNELS.subscribe, onSubscribe);
  ipc.on(IPC_CHANNELS.unsubscribe, onUnsubscribe);

  return () => {
    for (const method of METHOD_NAMES) ipc.removeHandler(IPC_CHANNELS.call(method));
    ipc.removeListener(IPC_CHANNELS.subscribe, onSubscribe);
    ipc.removeListener(IPC_CHANNELS.unsubscribe, onUnsubscribe);
    for (const unsubscribe of [...subscriptions.values()]) unsubscribe();
  };
}
