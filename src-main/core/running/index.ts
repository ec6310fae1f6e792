export { adminTransport, reachAdmin, readInstance, runningGateway, runningWindow } from './instance.js';
export { socketFetch } from './socket-fetch.js';
export { RelayRefused, relayStdio, type RelayOptions } from './relay.js';
