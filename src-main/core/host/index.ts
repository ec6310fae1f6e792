export { AlreadyRunning, Host, PortInUse, TokenFromEnvironment, type Instance, type RouteHandler } from './host.js';
export { bearerToken, checkLocalRequest, readBody, sendJson } from './requests.js';
export { loadOrCreateToken, tokenMatches } from './tokens.js';
