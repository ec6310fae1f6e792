export { Gateway } from './gateway.js';
export { McpHttpEndpoint, sendJson, checkLocalRequest, bearerToken, readBody } from './http.js';
export { serveStdio } from './stdio.js';
export { loadOrCreateToken, tokenMatches } from './token.js';
export type { GatewayCore } from './core-view.js';
