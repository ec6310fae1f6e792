// What the gateway needs of the rest of the core. Kept narrow so the gateway can be tested and
// reasoned about on its own.
import type { GatehouseConfig } from '../../../src-shared/config/schema.js';
import type { ToolDefinition } from '../../../src-shared/catalog.js';
import type { Catalog } from '../catalog/index.js';
import type { SearchHit } from '../search/index.js';
import type { UpstreamServer } from '../upstream/index.js';

export interface GatewayCore {
  config(): GatehouseConfig;
  catalog: Catalog;
  /** Servers whose tools an agent may see and call (enabled, and later: approved). */
  visibleServers(): string[];
  upstream(name: string): UpstreamServer | undefined;
  search(query: string, limit: number): SearchHit[];
  visibleTool(server: string, tool: string): ToolDefinition | undefined;
  /** Resolves when servers never listed before have been (a cold start); at once with a warm cache. */
  catalogued(): Promise<void>;
  /** Scrubs known secrets from text that leaves Gatehouse (error messages). */
  redact(text: string): string;
}
