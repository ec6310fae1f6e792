export { UpstreamManager, REFRESH_TIMEOUT_MS } from './manager.js';
export { UpstreamServer, UpstreamError, type Caller, type CallOptions, type StdioHooks } from './server.js';
export { createStdioTransport } from './transports.js';
export { killAllChildrenNow } from './process-transport.js';
export type { LogLine } from './server-log.js';
export type { FrameTracer } from './transports.js';
export { readLines, readMessages } from './line-buffer.js';
