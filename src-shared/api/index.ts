export * from './contract.js';
export * from './schemas.js';
export { ApiError, HTTP_STATUS, type ApiErrorCode } from './errors.js';
export { createApiClient, type ApiClient, type ApiTransport } from './client.js';
export { httpTransport, type HttpTransportOptions } from './http-transport.js';
export { IPC_CHANNELS, METHOD_NAMES, ipcTransport, type IpcBridge, type IpcEnvelope } from './ipc.js';
