// Whether a command server runs in a container, by its own `isolation` and config.json's: the entry's
// setting wins, key by key, as the core merges them. For the window, which shows it without asking.
import type { IsolationConfig, ServerConfig } from './schema.js';

export function containerSettings(own: ServerConfig['isolation'], global: IsolationConfig | undefined): IsolationConfig | undefined {
  const merged: IsolationConfig = typeof own === 'boolean' ? { ...global, enabled: own } : { ...global, ...(own ?? {}) };
  return merged.enabled ? merged : undefined;
}

/**
 * An entry's own `isolation` with `change` made: `true` kept as `enabled`, a key given as undefined
 * dropped. The one way the window, the CLI and the core rewrite a server's container in its entry.
 */
export function ownIsolationWith(own: unknown, change: Partial<IsolationConfig>): IsolationConfig {
  const base: Record<string, unknown> = own === true ? { enabled: true } : own && typeof own === 'object' ? { ...own } : {};
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base as IsolationConfig;
}
