// Secret values written literally in a server's entry — env values whose variable name says they are
// secrets, and every header value — are taken out into the secret store; the entry keeps a placeholder in
// their place, so config.json never holds them.
import { hasPlaceholder, secretPlaceholder } from '../../../src-shared/config/placeholders.js';
import type { ServerConfig } from '../../../src-shared/config/schema.js';
import { SECRET_NAME_HINT } from './service.js';

/** The entry with placeholders for its literal secrets, and the values to store, by secret name (`<prefix>.<KEY>`). */
export function literalSecrets(config: ServerConfig, prefix: string): { config: ServerConfig; values: Map<string, string> } {
  const values = new Map<string, string>();
  const take = (fields: Record<string, string>, secret: (key: string) => boolean) =>
    Object.fromEntries(
      Object.entries(fields).map(([key, value]) => {
        if (!secret(key) || !value || hasPlaceholder(value)) return [key, value];
        const name = `${prefix}.${key}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 128);
        values.set(name, value);
        return [key, secretPlaceholder(name)];
      }),
    );
  return {
    config: {
      ...config,
      ...(config.env ? { env: take(config.env, (key) => SECRET_NAME_HINT.test(key)) } : {}),
      ...(config.headers ? { headers: take(config.headers, () => true) } : {}),
    },
    values,
  };
}
