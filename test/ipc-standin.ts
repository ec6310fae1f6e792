// An in-memory stand-in for Electron's ipcMain and ipcRenderer (Electron's binary cannot run here): one
// window whose frame has the given URL. Every message is copied with structuredClone, as Electron does,
// so anything that would not survive the real bridge fails here too.
import { EventEmitter } from 'node:events';
import type { IpcMainEventLike, IpcMainLike, IpcRendererLike, IpcSender } from '../src-main/desktop/ipc/index.js';

type MainHandler = (event: IpcMainEventLike, ...args: unknown[]) => Promise<unknown>;
type MainListener = (event: IpcMainEventLike, ...args: unknown[]) => void;
type RendererListener = (event: unknown, ...args: unknown[]) => void;

export class InMemoryIpc {
  private readonly handlers = new Map<string, MainHandler>();
  private readonly mainEvents = new EventEmitter();
  private readonly rendererEvents = new EventEmitter();
  private readonly lifecycle = new EventEmitter();
  private destroyed = false;
  private readonly sender: IpcSender;

  constructor(private readonly frameUrl: string) {
    this.sender = {
      id: 1,
      send: (channel, ...args) => queueMicrotask(() => this.rendererEvents.emit(channel, {}, ...structuredClone(args))),
      once: (event, listener) => this.lifecycle.once(event, listener),
      isDestroyed: () => this.destroyed,
    };
  }

  private event(): IpcMainEventLike {
    return { sender: this.sender, senderFrame: this.destroyed ? null : { url: this.frameUrl } };
  }

  readonly main: IpcMainLike = {
    handle: (channel, handler) => {
      if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      this.handlers.set(channel, handler);
    },
    removeHandler: (channel) => void this.handlers.delete(channel),
    on: (channel, listener: MainListener) => this.mainEvents.on(channel, listener),
    removeListener: (channel, listener: MainListener) => this.mainEvents.removeListener(channel, listener),
  };

  readonly renderer: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      const handler = this.handlers.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered for '${channel}'`);
      return structuredClone(await handler(this.event(), ...structuredClone(args)));
    },
    send: (channel, ...args) => void queueMicrotask(() => this.mainEvents.emit(channel, this.event(), ...structuredClone(args))),
    on: (channel, listener: RendererListener) => this.rendererEvents.on(channel, listener),
    removeListener: (channel, listener: RendererListener) => this.rendererEvents.removeListener(channel, listener),
  };

  /** The window closes. */
  destroy(): void {
    this.destroyed = true;
    this.lifecycle.emit('destroyed');
  }
}
