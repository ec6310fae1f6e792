export { AdminService, toApiError } from './service.js';
export { AdminHttpAdapter } from './http-adapter.js';
export { inMemoryTransport } from './in-memory.js';
export type { AdminCore } from './port.js';
