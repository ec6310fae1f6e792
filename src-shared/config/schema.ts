// The schema of the user's config.json: the `mcpServers` shape Claude Desktop and Cursor use,
// plus Gatehouse's own keys. Approvals and other state never live here.
import { z } from 'zod';
import { SERVER_NAME_PATTERN, SERVER_NAME_RULE } from '../ids.js';
import { hasPlaceholder, PLACEHOLDER_HELP, scanPlaceholders } from './placeholders.js';

const MountSchema = z.union([
  z.string().min(1),
  z.object({ source: z.string().min(1, 'a mount needs "source"'), target: z.string().optional(), readOnly: z.boolean().optional() }),
]);

/** An entry of `allowHosts`: `host`, `*.domain` or either with `:port` (without one, ports 80 and 443). */
const ALLOW_HOST_PATTERN = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d{1,5})?$/;

/** Docker isolation for stdio servers: a global default in `isolation`, overridden per server. */
export const IsolationSchema = z.object({
  enabled: z.boolean().optional(),
  image: z.string().min(1).optional(),
  memory: z.string().regex(/^\d+(\.\d+)?\s*[kmg]?b?$/i, 'memory is a size like "512m" or "2g"').optional(),
  cpus: z.number().positive('cpus must be positive').optional(),
  network: z.enum(['none', 'bridge'], { error: 'network must be "none" or "bridge"' }).optional(),
  /** With no network, the hosts the container may still reach, through Gatehouse's proxy. */
  allowHosts: z
    .array(z.string().regex(ALLOW_HOST_PATTERN, 'each of allowHosts is a host name or address, "*.domain" for its subdomains, either with ":port" if not 80 or 443 (such as "api.github.com" or "*.example.com:8443")'))
    .optional(),
  mounts: z.array(MountSchema).optional(),
  workdir: z.string().optional(),
  readOnlyRootfs: z.boolean().optional(),
  pidsLimit: z.number().int().positive().optional(),
  /** What to do when Docker is not available: refuse to start (default), or run without isolation. */
  fallback: z.enum(['none', 'unisolated'], { error: 'fallback must be "none" or "unisolated"' }).optional(),
});

export type IsolationConfig = z.infer<typeof IsolationSchema>;

const envRecord = z.record(z.string(), z.string(), { error: 'expected an object of string values' });

/** OAuth 2.1 sign-in for an HTTP server; every key optional (discovery and registration fill the rest). */
export const OAuthConfigSchema = z.object({
  /** A client registered with the authorization server beforehand (else a metadata document or dynamic registration). */
  clientId: z.string().min(1, 'oauth.clientId must not be empty').optional(),
  /** Its secret, if it has one: best as a placeholder such as "${keyring:NAME}". */
  clientSecret: z.string().min(1, 'oauth.clientSecret must not be empty').optional(),
  scopes: z.array(z.string().min(1), { error: 'oauth.scopes must be an array of strings' }).optional(),
  /** The loopback port of the redirect URI, for a client registered with a fixed one. */
  redirectPort: z.number().int().min(1, 'oauth.redirectPort must be 1-65535').max(65535, 'oauth.redirectPort must be 1-65535').optional(),
});

export type OAuthConfig = z.infer<typeof OAuthConfigSchema>;

export const ServerConfigSchema = z
  .object({
    type: z.enum(['stdio', 'http', 'sse', 'vault'], { error: 'type must be "stdio", "http", "sse" or "vault"' }).optional(),
    command: z.string().min(1, 'command must not be empty').optional(),
    args: z.array(z.string(), { error: 'args must be an array of strings' }).optional(),
    env: envRecord.optional(),
    cwd: z.string().optional(),
    url: z.url({ error: 'url must be an absolute http(s) URL' }).optional(),
    headers: envRecord.optional(),
    description: z.string().optional(),
    enabled: z.boolean().optional(),
    idleTimeoutMinutes: z.number().min(0, 'idleTimeoutMinutes must be 0 (never) or more').optional(),
    callTimeoutSeconds: z.number().positive('callTimeoutSeconds must be positive').optional(),
    /** How long a server may take to start and answer initialize. */
    startTimeoutSeconds: z.number().positive('startTimeoutSeconds must be positive').optional(),
    isolation: z.union([z.boolean(), IsolationSchema]).optional(),
    oauth: OAuthConfigSchema.optional(),
    /** A remote vault's public keys (`gatehouse vault fingerprint` on the vault prints them). */
    vault: z.object({ sign: z.string().min(40, 'vault.sign is the vault\'s signing key'), agree: z.string().min(40, 'vault.agree is the vault\'s key-agreement key') }).optional(),
  })
  .loose()
  .superRefine((s, ctx) => {
    const kind = serverKind(s);
    if (!kind) {
      ctx.addIssue({ code: 'custom', message: 'a server needs either "command" (stdio) or "url" (HTTP/SSE)' });
      return;
    }
    if (kind === 'stdio' && !s.command) ctx.addIssue({ code: 'custom', path: ['command'], message: 'a stdio server needs "command"' });
    if (kind !== 'stdio' && !s.url) ctx.addIssue({ code: 'custom', path: ['url'], message: `an ${kind} server needs "url"` });
    if (s.url && URL.canParse(s.url) && !/^https?:\/\//i.test(s.url)) ctx.addIssue({ code: 'custom', path: ['url'], message: 'url must start with http:// or https://' });
    if (s.oauth && kind === 'stdio') ctx.addIssue({ code: 'custom', path: ['oauth'], message: '"oauth" applies to HTTP and SSE servers only' });
    if (kind === 'vault' && !s.vault) ctx.addIssue({ code: 'custom', path: ['vault'], message: 'a vault server needs "vault": { "sign", "agree" }, the vault\'s public keys (run `gatehouse vault fingerprint` on the vault)' });
    // Secrets may be placed where a server reads them; anywhere else a placeholder is a mistake.
    for (const field of ['command', 'cwd'] as const) {
      if (s[field] && hasPlaceholder(s[field])) {
        ctx.addIssue({ code: 'custom', path: [field], message: `placeholders are not allowed in "${field}": put secrets in env, args, headers or url` });
      }
    }
    const placed: [PropertyKey[], string][] = [
      ...Object.entries(s.env ?? {}).map(([k, v]): [PropertyKey[], string] => [['env', k], v]),
      ...Object.entries(s.headers ?? {}).map(([k, v]): [PropertyKey[], string] => [['headers', k], v]),
      ...(s.args ?? []).map((v, i): [PropertyKey[], string] => [['args', i], v]),
      ...(s.url ? [[['url'], s.url] as [PropertyKey[], string]] : []),
      ...(s.oauth?.clientSecret ? [[['oauth', 'clientSecret'], s.oauth.clientSecret] as [PropertyKey[], string]] : []),
    ];
    for (const [path, value] of placed) {
      for (const bad of scanPlaceholders(value).malformed) ctx.addIssue({ code: 'custom', path, message: `"${bad}" is not a placeholder Gatehouse knows: ${PLACEHOLDER_HELP}` });
    }
  });

export type ServerConfig = z.infer<typeof ServerConfigSchema>;

export const GatewayModeSchema = z.enum(['search', 'direct'], { error: 'mode must be "search" or "direct"' });

export const ConfigSchema = z
  .object({
    // The names are checked as written: a record made from them would lose "__proto__" without a word.
    mcpServers: z
      .unknown()
      .superRefine((servers, ctx) => {
        if (typeof servers !== 'object' || servers === null) return;
        for (const name of Object.keys(servers)) {
          if (hasPlaceholder(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'placeholders are not allowed in a server name' });
          else if (!SERVER_NAME_PATTERN.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" is not a valid server name: ${SERVER_NAME_RULE}` });
        }
      })
      .pipe(z.record(z.string(), ServerConfigSchema))
      .default({}),
    mode: GatewayModeSchema.default('search'),
    port: z.number().int().min(0).max(65535, 'port must be 0-65535').optional(),
    maxResultChars: z.number().int().min(1000, 'maxResultChars must be at least 1000').default(20000),
    /** The largest message a stdio server may send; a larger answer fails its call with the reason. */
    maxMessageMB: z.number().positive('maxMessageMB must be positive').default(32),
    /** The most tools (prompts, resources, templates) one server may list; past it, its listing fails. */
    maxListedItems: z.number().int().min(1000, 'maxListedItems must be at least 1000').default(20000),
    callTimeoutSeconds: z.number().positive().default(120),
    idleTimeoutMinutes: z.number().min(0).default(5),
    /** Where secrets live: the OS keychain unless the user opts in to an encrypted file. */
    isolation: IsolationSchema.extend({
      /** Image per runtime (node, python, deno, bun) for servers whose isolation names no image. */
      images: z.record(z.string(), z.string()).optional(),
    }).optional(),
    /** The gateway's `upstream_servers` tool may list servers but not change config.json. */
    readOnly: z.boolean().optional(),
    /** Hide the gateway's `upstream_servers` tool. */
    disableManagement: z.boolean().optional(),
    /** How long a call waits for a person's yes under an "ask" rule before it counts as no. */
    approvalTimeoutSeconds: z.number().positive('approvalTimeoutSeconds must be positive').default(60),
    /** Search by meaning with the bundled model (about 60–150 MB of memory); off, search uses keywords alone. */
    searchByMeaning: z.boolean().default(true),
    /** Take out of results, prompt messages and resource contents the characters that spell words no screen draws. */
    removeHiddenText: z.boolean().default(true),
    /** How long the activity log keeps records: the oldest go first when any bound is reached. */
    activity: z
      .object({
        maxAgeDays: z.number().positive('activity.maxAgeDays must be positive').optional(),
        maxRecords: z.number().int().positive('activity.maxRecords must be positive').optional(),
        maxMB: z.number().positive('activity.maxMB must be positive').optional(),
      })
      .optional(),
    /** OpenTelemetry traces over OTLP/HTTP, off unless an endpoint is set (e.g. http://127.0.0.1:4318/v1/traces). */
    /** The https address of Gatehouse's OAuth Client ID Metadata Document, for servers that accept one instead of registration. */
    oauthClientMetadataUrl: z.url({ error: 'oauthClientMetadataUrl must be an absolute https URL' }).optional(),
    telemetry: z.object({ otlpEndpoint: z.url({ error: 'telemetry.otlpEndpoint must be an absolute http(s) URL' }).optional() }).optional(),
    secretStore: z.enum(['keychain', 'encrypted-file'], { error: 'secretStore must be "keychain" or "encrypted-file"' }).optional(),
  })
  .loose();

export type GatehouseConfig = z.infer<typeof ConfigSchema>;

export type TransportKind = 'stdio' | 'http' | 'sse' | 'vault';

/** `type` may be omitted: a command means stdio, a url means Streamable HTTP (with SSE fallback). */
export function serverKind(s: Pick<ServerConfig, 'type' | 'command' | 'url'>): TransportKind | undefined {
  if (s.type) return s.type;
  if (s.command) return 'stdio';
  if (s.url) return 'http';
  return undefined;
}

export const DEFAULT_PORT = 39917;

/** A server's entry by name: own keys only, so a name such as "constructor" is data, not a lookup into Object. */
export function serverEntry(config: GatehouseConfig, name: string): ServerConfig | undefined {
  return Object.hasOwn(config.mcpServers, name) ? config.mcpServers[name] : undefined;
}
