export { Gateway } from './gateway.js';
export { McpHttpEndpoint } from './http.js';
export { serveStdio } from './stdio.js';
export { parameterSummary, shortDescription } from './summarize.js';
export type { GatewayCore } from './core-view.js';
export type { Management } from './management.js';
export { ClientCapabilityMemory } from './client-capabilities.js';
export { LogLimit } from './log-limit.js';
