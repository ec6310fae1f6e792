// What the admin handlers need of the core: a narrow port, so the admin API imports nothing from the
// assembly and can be reasoned about (and tested) on its own.
import type { EventEmitter } from 'node:events';
import type { GatehouseConfig } from '../../../src-shared/config/schema.js';
import type { ToolDefinition } from '../../../src-shared/catalog.js';
import type { ActivityLog } from '../activity/index.js';
import type { SignIns } from '../auth/index.js';
import type { Clients } from '../clients/index.js';
import type { PublicKeys } from '../vault/index.js';
import type { CallPipeline } from '../calls/index.js';
import type { CoreEvents } from '../events.js';
import type { CallApprovals } from '../security/index.js';
import type { Secrets } from '../secrets/index.js';
import type { ServerRegistry, TrustDecisions } from '../servers/index.js';
import type { Visibility } from '../visibility/index.js';

export interface AdminCore {
  readonly configPath: string;
  config(): GatehouseConfig;
  /** Changes config.json's own keys (not its servers) through the config service's write queue. */
  updateConfig(mutate: (raw: Record<string, unknown>) => void): Promise<GatehouseConfig>;
  /** The config `mutate` would make, validated, without writing it. */
  previewConfig(mutate: (raw: Record<string, unknown>) => void): Promise<GatehouseConfig>;
  /** What the command that started Gatehouse holds the tool that manages servers to, whatever config.json says. */
  managementForced(): 'list' | 'off' | undefined;
  /** Every tool a server lists (approved or not). */
  listedTools(server: string): ToolDefinition[];
  servers: ServerRegistry;
  decisions: TrustDecisions;
  visibility: Visibility;
  calls: CallPipeline;
  /** Agents' calls waiting for a person. */
  approvals: CallApprovals;
  secrets: Secrets;
  activity: ActivityLog;
  signIns: SignIns;
  /** This Gatehouse's key for remote vaults. */
  vaultKey: { get(): Promise<PublicKeys | undefined>; make(): Promise<PublicKeys> };
  clients: Clients;
  gateway: { url(): string | undefined; token(): Promise<string>; rotateToken(): Promise<string>; stdio(): { command: string; args: string[] }; unavailableServer(name: string): string | undefined };
  /** The web UI, while the host listens. */
  ui: { loginUrl(): string | undefined };
  /** Docker's images: the registry digest of the image a reference names now, pulled first when absent. */
  images: { digest(image: string): Promise<string> };
  /** Scrubs known secrets from text that leaves Gatehouse. */
  redact(text: string): string;
  events: EventEmitter<CoreEvents>;
}
