export { adminTransport, reachAdmin, readInstance, runningGateway } from './instance.js';
export { socketFetch } from './socket-fetch.js';
export { RelayRefused, relayStdio, type RelayOptions } from './relay.js';
