export { UpstreamManager, REFRESH_TIMEOUT_MS } from './manager.js';
export { UpstreamServer, UpstreamError, type Caller, type CallOptions } from './server.js';
export {
  createStdioTransport,
  loadClientSdk,
  transportFactory,
  type AuthSlot,
  type StdioHooks,
  type TransportFactory,
  type TransportParts,
  type TransportRequest,
} from './transports.js';
export { killAllChildrenNow } from './process-transport.js';
export { connectionRefused, describeConnectError, statusOf } from './connect-error.js';
export type { LogLine } from './server-log.js';
export type { FrameTracer } from './transports.js';
export type { ServerLog } from './server-log.js';
export { readLines, readMessages } from './line-buffer.js';
