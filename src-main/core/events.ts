// What the core tells its callers (the admin API's event stream, the CLI's terminal, the desktop shell).
import type { GatehouseConfig } from '../../src-shared/config/schema.js';
import type { ServerCatalog } from '../../src-shared/catalog.js';
import type { SignInStatus } from '../../src-shared/sign-in.js';
import type { ServerStatus } from '../../src-shared/status.js';
import type { ConfigError } from './config/index.js';
import type { EgressRefusal, PullProgress } from './isolation/index.js';
import type { SemanticStatus } from './search/index.js';
import type { LogLine } from './upstream/index.js';

export interface CoreEvents {
  status: [ServerStatus];
  /** A server's listing changed (or was dropped: `catalog` undefined). */
  catalog: [server: string, catalog: ServerCatalog | undefined];
  log: [LogLine];
  /** `own`: written by Gatehouse itself (a person's change through the window or the CLI), not edited outside. */
  'config-changed': [config: GatehouseConfig, own: boolean];
  'config-invalid': [ConfigError];
  /** state/trust.json was written by something other than Gatehouse: not believed, written back over. */
  'trust-file-changed': [message: string];
  'image-pull': [PullProgress];
  /** A container's proxy refused it a connection to a host its entry does not allow. */
  'egress-refused': [EgressRefusal];
  /** A server's trust changed, or tools of it wait for a person. */
  trust: [server: string];
  /** Search by meaning loaded, failed, or embedded more tools. */
  search: [SemanticStatus];
  /** A server's sign-in changed: signed in, out, under way, or waiting for a person. */
  'sign-in': [SignInStatus];
}
