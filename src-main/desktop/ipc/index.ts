export { createIpcBridge, type IpcRendererLike } from './bridge.js';
export { serveAdminOverIpc, type AdminServiceLike, type IpcMainEventLike, type IpcMainLike, type IpcSender } from './handlers.js';
