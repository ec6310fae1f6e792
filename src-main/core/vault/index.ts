export { generateKeys, loadKeys, saveKeys, fingerprint, publicKey, privateFromSeed, keysFrom, type KeyPairs, type PublicKeys } from './keys.js';
export { ClientHandshake, VaultHandshakes, Session, ChannelError, SESSION_MS, type ClientHello, type VaultHello, type ClientFinish, type SealedRecord, type Fixed } from './channel.js';
export { VaultServer, type VaultOp } from './server.js';
export { VaultClient } from './client.js';
export { vaultTransport } from './tools.js';
export { loadVaultConfig, saveVaultConfig, vaultHome, vaultPaths, ROUTE_TEMPLATES, VaultConfigSchema, type VaultConfig, type VaultRoute } from './config.js';
