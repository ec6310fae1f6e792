// The vault's own config (vault.json in its home): where it listens, which clients it serves, and its
// routes — which URLs each may reach and which headers it puts on requests there, with secrets from the
// vault's environment, its keychain or the file itself. Templates for common APIs ship with it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../config/index.js';
import { resolveHome, writeFileAtomic } from '../state/index.js';

const PublicKeysSchema = z.object({ sign: z.string().min(40), agree: z.string().min(40) });

const SecretSourceSchema = z.union([
  z.object({ env: z.string().min(1) }),
  z.object({ keychain: z.string().min(1) }),
  z.object({ value: z.string().min(1) }),
]);

export const RouteSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a route name is 1-64 letters, digits, "-" or "_"'),
  description: z.string().optional(),
  docsUrl: z.url().optional(),
  openApiUrl: z.url().optional(),
  /** URL globs: `*` within a path segment, `**` across segments (https://api.github.com/repos/**). */
  allowedEndpoints: z.array(z.string().regex(/^https?:\/\/[^/*]+(\/.*)?$/, 'an endpoint glob starts with http(s)://host (no wildcard in the host)')).min(1),
  /** Headers put on every request of the route; `${NAME}` is a secret of the route. */
  headers: z.record(z.string(), z.string()).default({}),
  /** Where each `${NAME}` comes from; a name not listed is the vault's environment variable of that name. */
  secrets: z.record(z.string(), SecretSourceSchema).default({}),
});

export const VaultConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(7443),
  /** Requests per minute per client. */
  rateLimitPerMinute: z.number().int().positive().default(60),
  clients: z.record(z.string(), PublicKeysSchema).default({}),
  routes: z.array(RouteSchema).default([]),
});

export type VaultConfig = z.infer<typeof VaultConfigSchema>;
export type VaultRoute = z.infer<typeof RouteSchema>;

export function vaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.GATEHOUSE_VAULT_HOME ? path.resolve(env.GATEHOUSE_VAULT_HOME) : path.join(resolveHome(env), 'vault');
}

export function vaultPaths(home: string) {
  return { home, config: path.join(home, 'vault.json'), keys: path.join(home, 'keys'), audit: path.join(home, 'audit.jsonl') };
}

export async function loadVaultConfig(file: string): Promise<VaultConfig> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return VaultConfigSchema.parse({});
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}): fix it and start again`);
  }
  const parsed = VaultConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file} has mistakes: ${describeIssues(parsed.error).join('; ')}`);
  const names = parsed.data.routes.map((r) => r.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`${file}: two routes are named "${twice}"`);
  return parsed.data;
}

export async function saveVaultConfig(file: string, config: VaultConfig): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`);
}

/** Routes for common APIs, to start from (`gatehouse vault setup --template github`). */
export const ROUTE_TEMPLATES: Record<string, VaultRoute> = {
  github: {
    name: 'github',
    description: "GitHub's REST API as the token's owner",
    docsUrl: 'https://docs.github.com/en/rest',
    openApiUrl: 'https://raw.githubusercontent.com/github/rest-api-description/main/descriptions/api.github.com/api.github.com.json',
    allowedEndpoints: ['https://api.github.com/**'],
    headers: { Authorization: 'Bearer ${GITHUB_TOKEN}', Accept: 'application/vnd.github+json' },
    secrets: { GITHUB_TOKEN: { env: 'GITHUB_TOKEN' } },
  },
  stripe: {
    name: 'stripe',
    description: "Stripe's API with a restricted key",
    docsUrl: 'https://docs.stripe.com/api',
    openApiUrl: 'https://raw.githubusercontent.com/stripe/openapi/master/openapi/spec3.json',
    allowedEndpoints: ['https://api.stripe.com/v1/**'],
    headers: { Authorization: 'Bearer ${STRIPE_API_KEY}' },
    secrets: { STRIPE_API_KEY: { env: 'STRIPE_API_KEY' } },
  },
  trello: {
    name: 'trello',
    description: "Trello's REST API",
    docsUrl: 'https://developer.atlassian.com/cloud/trello/rest/',
    allowedEndpoints: ['https://api.trello.com/1/**'],
    headers: { Authorization: 'OAuth oauth_consumer_key="${TRELLO_API_KEY}", oauth_token="${TRELLO_TOKEN}"' },
    secrets: { TRELLO_API_KEY: { env: 'TRELLO_API_KEY' }, TRELLO_TOKEN: { env: 'TRELLO_TOKEN' } },
  },
};
