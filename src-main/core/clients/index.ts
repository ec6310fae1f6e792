export { Clients, ENTRY_NAME, type ClientInfo, type ClientsDeps, type ImportResult, type Preview } from './clients.js';
export { ClientTokens } from './tokens.js';
export { KNOWN_CLIENTS, currentPlace, type Place, type GatehouseEndpoint } from './known.js';
export { MalformedFile } from './formats.js';
