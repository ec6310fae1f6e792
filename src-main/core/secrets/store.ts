// Where secret values live. The keychain by default; an in-memory store for tests; an encrypted file only
// when the user opts in. Never a silent fallback to anything weaker.

export const SECRET_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
export const SECRET_NAME_RULE = 'a secret name is 1-128 letters, digits, "_", "-" or "."';

export interface SecretStore {
  /** What a person should be told this store is. */
  readonly description: string;
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  /** Resolves true when something was deleted. */
  delete(name: string): Promise<boolean>;
  list(): Promise<string[]>;
}

/** The store cannot be used (no keychain reachable, a wrong passphrase…): the message says what to do. */
export class SecretStoreUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretStoreUnavailable';
  }
}

export class MemorySecretStore implements SecretStore {
  readonly description = 'memory (gone when Gatehouse stops)';
  private readonly values = new Map<string, string>();

  async get(name: string) {
    return this.values.get(name);
  }
  async set(name: string, value: string) {
    this.values.set(name, value);
  }
  async delete(name: string) {
    return this.values.delete(name);
  }
  async list() {
    return [...this.values.keys()].sort();
  }
}
