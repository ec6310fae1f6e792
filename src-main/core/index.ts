// The core's public surface: what the CLI and the desktop shell may use.
export { Gatehouse, type GatehouseOptions, type GatehouseEvents } from './gatehouse.js';
export { ConfigError } from './config/index.js';
export { resolveHome, homePaths } from './state/index.js';
export { serveStdio } from './gateway/index.js';
export { inMemoryTransport } from './admin/index.js';
export { AlreadyRunning, type Instance } from './host/index.js';
export { adminTransport, reachAdmin, readInstance, RelayRefused, relayStdio, runningGateway, runningWindow } from './running/index.js';
export { killAllChildrenNow, UpstreamError, type FrameTracer } from './upstream/index.js';
export type { CallRecord } from './calls/index.js';
export { SignInSession, SignInStore, assertSecureUrl, subjectFor } from './auth/index.js';
export { adoptMcpRemoteSignIn, runBridge } from './connect/index.js';
export { openSecretStore, resolvePlaceholders, KEYCHAIN_SERVICE, MissingSecrets } from './secrets/index.js';
export {
  fingerprint,
  generateKeys,
  loadKeys,
  loadVaultConfig,
  ROUTE_TEMPLATES,
  saveKeys,
  saveVaultConfig,
  vaultHome,
  vaultPaths,
  VaultServer,
  type PublicKeys,
} from './vault/index.js';
export { KeychainSecretStore } from './secrets/index.js';
export { parseListing, scanListing, ListingError, type ScannedDefinition } from './security/index.js';
export { CONTENT_SECURITY_POLICY, contentTypeOf } from './ui/index.js';
