// Picks the secret store: the keychain, unless the user opted in to the encrypted file (config
// `secretStore`, or GATEHOUSE_SECRET_STORE); `memory` only when asked for by name (tests, throwaway runs).
import { EncryptedFileSecretStore } from './encrypted-file.js';
import { KeychainSecretStore } from './keychain.js';
import { MemorySecretStore, SecretStoreUnavailable, type SecretStore } from './store.js';

export type SecretStoreKind = 'keychain' | 'encrypted-file' | 'memory';

/** `service` names the keychain entry group: the user's secrets, or Gatehouse's own sign-ins kept apart from them. */
export function openSecretStore(kind: string | undefined, file: string, env: NodeJS.ProcessEnv, service?: string): SecretStore {
  switch (kind ?? 'keychain') {
    case 'keychain':
      return new KeychainSecretStore(service);
    case 'encrypted-file':
      return new EncryptedFileSecretStore(file, env.GATEHOUSE_SECRETS_PASSPHRASE);
    case 'memory':
      return new MemorySecretStore();
    default:
      throw new SecretStoreUnavailable(`GATEHOUSE_SECRET_STORE must be "keychain", "encrypted-file" or "memory", not "${kind}"`);
  }
}
