// What a person does with secrets: list the names (and which servers use each), set, delete, and — only
// when asked on purpose — reveal one. The store is opened on first use: the keychain unless the user
// opted in to another.
import type { GatehouseConfig, ServerConfig } from '../../../src-shared/config/schema.js';
import { ConfigError } from '../config/index.js';
import { KEYCHAIN_SERVICE } from './keychain.js';
import { openSecretStore } from './open.js';
import type { Redactor } from './redact.js';
import { placeholdersOf, resolvePlaceholders } from './resolve.js';
import { SECRET_NAME_PATTERN, SECRET_NAME_RULE, type SecretStore } from './store.js';

export interface SecretsDeps {
  config: () => GatehouseConfig;
  /** The encrypted file's path, for a user who opted in to it. */
  file: string;
  /** The encrypted file of sign-ins (OAuth tokens and registrations), likewise. */
  signInFile?: string;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  /** A secret was set: servers that waited for it may start now. */
  onSet?: (name: string) => Promise<void>;
}

export class Secrets {
  private opened: SecretStore | undefined;
  private signInsOpened: SecretStore | undefined;

  constructor(private readonly deps: SecretsDeps) {}

  private get kind(): string | undefined {
    return this.deps.env.GATEHOUSE_SECRET_STORE ?? this.deps.config().secretStore;
  }

  /** Whether the user's secrets are kept in the OS keychain (the default), where Gatehouse keeps its own keys too. */
  get inKeychain(): boolean {
    return (this.kind ?? 'keychain') === 'keychain';
  }

  get store(): SecretStore {
    this.opened ??= openSecretStore(this.kind, this.deps.file, this.deps.env);
    return this.opened;
  }

  /** Where sign-ins live: the same kind of store, apart from the user's secrets (never listed with them). */
  get signIns(): SecretStore {
    this.signInsOpened ??= openSecretStore(this.kind, this.deps.signInFile ?? `${this.deps.file}.sign-ins`, this.deps.env, `${KEYCHAIN_SERVICE} sign-ins`);
    return this.signInsOpened;
  }

  /** A server's config with its placeholders filled in, just before it starts; the values are learned for redaction. */
  async resolve(config: ServerConfig): Promise<ServerConfig> {
    const resolved = await resolvePlaceholders(config, () => this.store, this.deps.env);
    this.deps.redactor.learn(resolved.values);
    return resolved.config;
  }

  /** Every secret name: the ones set, and the ones servers ask for, with who asks. */
  async list(): Promise<{ name: string; set: boolean; usedBy: string[] }[]> {
    const names = new Set(await this.store.list());
    const usedBy = new Map<string, string[]>();
    for (const [server, config] of Object.entries(this.deps.config().mcpServers)) {
      for (const p of placeholdersOf(config)) if (p.kind === 'keyring') usedBy.set(p.name, [...(usedBy.get(p.name) ?? []), server]);
    }
    return [...new Set([...names, ...usedBy.keys()])].sort().map((name) => ({ name, set: names.has(name), usedBy: usedBy.get(name) ?? [] }));
  }

  async set(name: string, value: string): Promise<void> {
    if (!SECRET_NAME_PATTERN.test(name)) throw new ConfigError(`"${name}" is not a valid secret name: ${SECRET_NAME_RULE}`);
    if (value === '') throw new ConfigError('a secret cannot be empty');
    this.deps.redactor.learn([value]);
    await this.store.set(name, value);
    await this.deps.onSet?.(name);
  }

  delete(name: string): Promise<boolean> {
    return this.store.delete(name);
  }

  /** A secret's value: only for a person who explicitly asked to see it. */
  async reveal(name: string): Promise<string | undefined> {
    const value = await this.store.get(name);
    if (value) this.deps.redactor.learn([value]);
    return value;
  }
}

/** Environment variable names that say their value is a secret. */
export const SECRET_NAME_HINT = /key|token|secret|pass|auth|credential|private|cookie|session/i;

/**
 * Values written in config.json that are secrets in all but name: every header value, and env values
 * whose variable name says so. (Placeholders are resolved and learned separately, at start.)
 */
export function configuredSecrets(config: GatehouseConfig): string[] {
  return Object.values(config.mcpServers)
    .flatMap((s) => [
      ...Object.values(s.headers ?? {}),
      ...(s.oauth?.clientSecret ? [s.oauth.clientSecret] : []),
      ...Object.entries(s.env ?? {})
        .filter(([name]) => SECRET_NAME_HINT.test(name))
        .map(([, value]) => value),
    ])
    .filter((value) => !value.includes('${'));
}
