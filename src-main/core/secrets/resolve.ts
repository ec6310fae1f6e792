// Resolves a server's placeholders just before it starts. The resolved config lives only in memory.
import type { ServerConfig } from '../../../src-shared/config/schema.js';
import { replacePlaceholders, scanPlaceholders, type Placeholder } from '../../../src-shared/config/placeholders.js';
import type { SecretStore } from './store.js';

export class MissingSecrets extends Error {
  constructor(readonly missing: Placeholder[]) {
    const keyring = missing.filter((p) => p.kind === 'keyring').map((p) => p.name);
    const env = missing.filter((p) => p.kind === 'env').map((p) => p.name);
    const parts = [
      ...keyring.map((n) => `needs secret ${n}: set it with \`gatehouse secrets set ${n}\``),
      ...env.map((n) => `needs environment variable ${n}: set it where Gatehouse starts`),
    ];
    super(parts.join('; '));
    this.name = 'MissingSecrets';
  }
}

function placedStrings(config: ServerConfig): string[] {
  return [...Object.values(config.env ?? {}), ...Object.values(config.headers ?? {}), ...(config.args ?? []), ...(config.url ? [config.url] : []), ...(config.oauth?.clientSecret ? [config.oauth.clientSecret] : [])];
}

export function placeholdersOf(config: ServerConfig): Placeholder[] {
  const seen = new Map<string, Placeholder>();
  for (const text of placedStrings(config)) for (const p of scanPlaceholders(text).found) seen.set(`${p.kind}:${p.name}`, p);
  return [...seen.values()];
}

/**
 * Returns the config with every placeholder replaced, and the values used (so they can be redacted).
 * Throws MissingSecrets naming every secret or variable that is not set — never starts with an empty value.
 */
export async function resolvePlaceholders(
  config: ServerConfig,
  secrets: () => SecretStore,
  env: NodeJS.ProcessEnv,
): Promise<{ config: ServerConfig; values: string[] }> {
  const wanted = placeholdersOf(config);
  if (wanted.length === 0) return { config, values: [] };
  const values = new Map<string, string>();
  const missing: Placeholder[] = [];
  for (const p of wanted) {
    const value = p.kind === 'env' ? env[p.name] : await secrets().get(p.name);
    if (value === undefined || value === '') missing.push(p);
    else values.set(`${p.kind}:${p.name}`, value);
  }
  if (missing.length) throw new MissingSecrets(missing);
  const fill = (text: string) => replacePlaceholders(text, (p) => values.get(`${p.kind}:${p.name}`)!);
  const mapValues = (rec: Record<string, string> | undefined) => rec && Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, fill(v)]));
  return {
    config: { ...config, env: mapValues(config.env), headers: mapValues(config.headers), args: config.args?.map(fill),
      url: config.url && fill(config.url),
      ...(config.oauth ? { oauth: { ...config.oauth, clientSecret: config.oauth.clientSecret && fill(config.oauth.clientSecret) } } : {}),
    },
    values: [...values.values()],
  };
}
