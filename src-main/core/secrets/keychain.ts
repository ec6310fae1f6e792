// The OS keychain (macOS Keychain, Windows Credential Manager, the Secret Service on Linux) through
// @napi-rs/keyring, under the service name "Gatehouse". On Linux the Secret Service is required: the
// library would otherwise fall back to the kernel keyring, which forgets everything at logout.
import { SecretStoreUnavailable, type SecretStore } from './store.js';

export const KEYCHAIN_SERVICE = 'Gatehouse';

type Keyring = typeof import('@napi-rs/keyring');

const NO_KEYCHAIN =
  'No keychain is reachable' +
  (process.platform === 'linux' ? ' (no Secret Service on the session bus: start gnome-keyring or KeePassXC, or log in to a desktop session)' : '') +
  '. To keep secrets in an encrypted file instead, opt in: set GATEHOUSE_SECRET_STORE=encrypted-file and a passphrase in GATEHOUSE_SECRETS_PASSPHRASE.';

export class KeychainSecretStore implements SecretStore {
  readonly description = `the OS keychain (service "${KEYCHAIN_SERVICE}")`;
  private keyring: Promise<Keyring> | undefined;

  constructor(private readonly service = KEYCHAIN_SERVICE) {}

  private load(): Promise<Keyring> {
    // Loaded on first use: a native module Gatehouse does not need until a secret is asked for.
    this.keyring ??= import('@napi-rs/keyring');
    return this.keyring;
  }

  private async entry(name: string) {
    const { AsyncEntry } = await this.load();
    try {
      return new AsyncEntry(this.service, name, { linux: { store: 'secret-service' } });
    } catch (err) {
      throw unavailable(err);
    }
  }

  async get(name: string) {
    const entry = await this.entry(name);
    try {
      return (await entry.getPassword()) ?? undefined;
    } catch (err) {
      throw unavailable(err);
    }
  }

  async set(name: string, value: string) {
    const entry = await this.entry(name);
    try {
      await entry.setPassword(value);
    } catch (err) {
      throw unavailable(err);
    }
  }

  async delete(name: string) {
    const entry = await this.entry(name);
    try {
      return await entry.deleteCredential();
    } catch (err) {
      throw unavailable(err);
    }
  }

  async list() {
    await this.entry('probe'); // fails plainly when no keychain is reachable
    const { findCredentialsAsync } = await this.load();
    try {
      return (await findCredentialsAsync(this.service)).map((c) => c.account).sort();
    } catch (err) {
      throw unavailable(err);
    }
  }
}

function unavailable(err: unknown): SecretStoreUnavailable {
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new SecretStoreUnavailable(`${NO_KEYCHAIN} (${detail})`);
}
