// Whether a command server runs in a container, by its own `isolation` and config.json's: the entry's
// setting wins, key by key, as the core merges them. For the window, which shows it without asking.
import type { IsolationConfig, ServerConfig } from './schema.js';

export function containerSettings(own: ServerConfig['isolation'], global: IsolationConfig | undefined): IsolationConfig | undefined {
  const merged: IsolationConfig = typeof own === 'boolean' ? { ...global, enabled: own } : { ...global, ...(own ?? {}) };
  return merged.enabled ? merged : undefined;
}
