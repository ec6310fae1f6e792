export { runBridge, type BridgeOptions } from './bridge.js';
export { adoptMcpRemoteSignIn, findMcpRemoteSignIn, type McpRemoteSignIn } from './mcp-remote.js';
