// What a person does with secrets: list the names (and which servers use each), set, delete, and — only
// when asked on purpose — reveal one. The store is opened on first use: the keychain unless the user
// opted in to another.
import type { GatehouseConfig, ServerConfig } from '../../../src-shared/config/schema.js';
import { ConfigError } from '../config/index.js';
import { openSecretStore } from './open.js';
import type { Redactor } from './redact.js';
import { placeholdersOf, resolvePlaceholders } from './resolve.js';
import { SECRET_NAME_PATTERN, SECRET_NAME_RULE, type SecretStore } from './store.js';

export interface SecretsDeps {
  config: () => GatehouseConfig;
  /** The encrypted file's path, for a user who opted in to it. */
  file: string;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  /** A secret was set: servers that waited for it may start now. */
  onSet?: (name: string) => Promise<void>;
}

export class Secrets {
  private opened: SecretStore | undefined;

  constructor(private readonly deps: SecretsDeps) {}

  get store(): SecretStore {
    this.opened ??= openSecretStore(this.deps.env.GATEHOUSE_SECRET_STORE ?? this.deps.config().secretStore, this.deps.file, this.deps.env);
    return this.opened;
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

/**
 * Values written in config.json that are secrets in all but name: every header value, and env values
 * whose variable name says so. (Placeholders are resolved and learned separately, at start.)
 */
export function configuredSecrets(config: GatehouseConfig): string[] {
  const secretName = /key|token|secret|pass|auth|credential|private|cookie|session/i;
  return Object.values(config.mcpServers)
    .flatMap((s) => [
      ...Object.values(s.headers ?? {}),
      ...Object.entries(s.env ?? {})
        .filter(([name]) => secretName.test(name))
        .map(([, value]) => value),
    ])
    .filter((value) => !value.includes('${'));
}
