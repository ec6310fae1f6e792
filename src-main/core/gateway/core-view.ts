// What the gateway needs of the rest of the core. Kept narrow so the gateway can be tested and
// reasoned about on its own.
import type { GatehouseConfig } from '../../../src-shared/config/schema.js';
import type { CallPipeline } from '../calls/index.js';
import type { Catalog } from '../catalog/index.js';
import type { UpstreamServer } from '../upstream/index.js';
import type { Visibility } from '../visibility/index.js';
import type { Management } from './management.js';

export interface GatewayCore {
  config(): GatehouseConfig;
  /** Prompts and resources of the visible servers. */
  catalog: Catalog;
  /** Which servers and tools an agent may see, and the search over them. */
  visibility: Visibility;
  /** Every tool call goes through here. */
  calls: CallPipeline;
  upstream(name: string): UpstreamServer | undefined;
  /** A server's instructions to the model, when they are the ones a person approved with it. */
  approvedInstructions(server: string): string | undefined;
  management(): Management;
  /** Scrubs known secrets from text that leaves Gatehouse (error messages). */
  redact(text: string): string;
  /** The servers a connected client is limited to (its profile); undefined when it may use all. */
  profile?: (client: string) => ReadonlySet<string> | undefined;
  /** Runs a request inside a trace span (continuing the client's `traceparent`); just runs it when tracing is off. */
  trace?: <T>(name: string, attributes: Record<string, string>, work: () => Promise<T>, options?: { traceparent?: unknown; kind?: 'server' | 'client' }) => Promise<T>;
}
