export { Redactor } from './redact.js';
export { MemorySecretStore, SecretStoreUnavailable, SECRET_NAME_PATTERN, SECRET_NAME_RULE, type SecretStore } from './store.js';
export { KeychainSecretStore, KEYCHAIN_SERVICE } from './keychain.js';
export { EncryptedFileSecretStore } from './encrypted-file.js';
export { openSecretStore, type SecretStoreKind } from './open.js';
export { resolvePlaceholders, placeholdersOf, MissingSecrets } from './resolve.js';
export { Secrets, configuredSecrets, SECRET_NAME_HINT, type SecretsDeps } from './service.js';
export { literalSecrets } from './literal.js';
export { KeychainMark } from './keychain-mark.js';
