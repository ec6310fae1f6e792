// What the gateway needs of the rest of the core. Kept narrow so the gateway can be tested and
// reasoned about on its own.
import type { GatehouseConfig } from '../../../src-shared/config/schema.js';
import type { ToolDefinition } from '../../../src-shared/catalog.js';
import type { Catalog } from '../catalog/index.js';
import type { SearchHit } from '../search/index.js';
import type { UpstreamServer } from '../upstream/index.js';
import type { CallRule } from '../../../src-shared/trust.js';
import type { Management } from './management.js';

export interface GatewayCore {
  config(): GatehouseConfig;
  catalog: Catalog;
  /** Servers whose tools an agent may see and call: enabled and approved. */
  visibleServers(): string[];
  upstream(name: string): UpstreamServer | undefined;
  search(query: string, limit: number): SearchHit[];
  /** An approved tool of a visible server. */
  visibleTool(server: string, tool: string): ToolDefinition | undefined;
  /** A server's approved tools (the ones an agent may see, when the server is visible). */
  usableTools(server: string): ToolDefinition[];
  /** Why a configured server or tool is not available (quarantined, blocked, changed…), for the agent. */
  unavailable(server: string, tool?: string): string | undefined;
  /** The per-call rule for a tool: allow, ask the person, or deny. */
  rule(server: string, tool: ToolDefinition): CallRule;
  /** Asks the person in Gatehouse (UI, notification, CLI) when the client cannot ask. */
  askPerson(call: { server: string; tool: string; arguments: Record<string, unknown> }, signal?: AbortSignal): Promise<{ allowed: boolean; by: string }>;
  management(): Management;
  /** Resolves when servers never listed before have been (a cold start); at once with a warm cache. */
  catalogued(): Promise<void>;
  /** Scrubs known secrets from text that leaves Gatehouse (error messages). */
  redact(text: string): string;
}
