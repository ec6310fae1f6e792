// Shapes the admin API carries, as zod schemas (the TypeScript types are inferred from them).
import { z } from 'zod';
import { RETENTION_FLOOR } from '../config/retention.js';
import { GatewayModeSchema, ServerConfigSchema } from '../config/schema.js';

export const ServerStateSchema = z.enum(['disabled', 'idle', 'connecting', 'ready', 'error', 'needs-secret', 'needs-sign-in']);

export const ServerStatusSchema = z.object({
  name: z.string(),
  state: ServerStateSchema,
  reason: z.string().optional(),
  transport: z.enum(['stdio', 'http', 'sse', 'vault']),
  toolCount: z.number().int(),
  catalogAt: z.number().optional(),
  retryAt: z.number().optional(),
});

export const SearchStatusSchema = z.object({
  /** `hybrid`: by meaning and keywords; `keywords`: BM25 alone (the model is loading, or cannot run here). */
  mode: z.enum(['hybrid', 'keywords']),
  /** Tools in the search index. */
  tools: z.number().int(),
  semantic: z
    .object({
      state: z.enum(['starting', 'ready', 'unavailable']),
      model: z.string(),
      embedded: z.number().int(),
      total: z.number().int(),
      loadMs: z.number().optional(),
      reason: z.string().optional(),
    })
    .optional(),
});

export const ServerTrustSchema = z.enum(['quarantined', 'approved', 'blocked']);
export const ToolTrustSchema = z.enum(['approved', 'pending', 'changed', 'blocked']);
export const CallRuleSchema = z.enum(['allow', 'ask', 'deny']);

export const ServerInfoSchema = ServerStatusSchema.extend({
  /** What a person recognises the server by: its command line or URL. */
  target: z.string(),
  description: z.string().optional(),
  enabled: z.boolean(),
  trust: ServerTrustSchema,
  /** Tools waiting for a person: new or changed since approval. */
  attention: z.number().int(),
});

export const ServerNameSchema = z.string().min(1, 'name is required');

export const ToolSummarySchema = z.object({
  id: z.string(),
  server: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
});

export const ToolDetailSchema = ToolSummarySchema.extend({
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
});

export const SearchResultSchema = z.object({
  id: z.string(),
  server: z.string(),
  name: z.string(),
  description: z.string(),
  params: z.string(),
  score: z.number(),
});

export const LogLineSchema = z.object({
  server: z.string(),
  at: z.number(),
  source: z.enum(['stderr', 'gatehouse']),
  text: z.string(),
});

export const ContentBlockSchema = z.object({ type: z.string() }).loose();

export const CallResultSchema = z.object({
  content: z.array(ContentBlockSchema),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
  isError: z.boolean().optional(),
});

export const RefreshResultSchema = z.object({
  server: z.string(),
  ok: z.boolean(),
  toolCount: z.number().int().optional(),
  error: z.string().optional(),
});

export { ServerConfigSchema };


export const FindingSchema = z.object({
  family: z.string(),
  severity: z.enum(['low', 'medium', 'high']),
  message: z.string(),
  field: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  excerpt: z.string(),
});

/** A definition handed to the scanner (scanner.scan), with what it found. */
export const ScannedDefinitionSchema = z.object({
  kind: z.enum(['tool', 'prompt', 'template', 'resource']),
  name: z.string(),
  server: z.string().optional(),
  id: z.string().optional(),
  flagged: z.boolean(),
  findings: z.array(FindingSchema),
  definition: z.record(z.string(), z.unknown()),
});

/** One line of a definition diff: ' ' unchanged, '-' only in the approved definition, '+' only in the new one. */
export const DiffLineSchema = z.object({ op: z.enum([' ', '-', '+']), text: z.string() });

/** A tool, prompt or resource template as a person reviews it: its standing against its pin, in full, scanned. */
export const ItemReviewSchema = z.object({
  name: z.string(),
  trust: ToolTrustSchema,
  definition: z.record(z.string(), z.unknown()),
  findings: z.array(FindingSchema),
  /** For a changed one (or a rename): the approved definition against the new one. */
  diff: z.array(DiffLineSchema).optional(),
});

export const ToolReviewSchema = ItemReviewSchema.extend({
  /** A new tool nearly identical to one that disappeared. */
  renamedFrom: z.string().optional(),
  rule: CallRuleSchema,
});

/** Which parts of a server a decision covers; none named means the whole server. */
const names = z.array(z.string().min(1)).min(1).optional();
/** `resources` by URI: static resources the scanner flagged. */
export const SelectionShape = { tools: names, prompts: names, resourceTemplates: names, resources: names };


export const ServerReviewSchema = z.object({
  server: z.string(),
  /** How it is started or reached: the command and its arguments, or the URL (secrets redacted). */
  target: z.string(),
  transport: z.enum(['stdio', 'http', 'sse', 'vault']),
  /** What this review showed (the server entry and every tool definition), as a hash: pass it to `servers.approve`. */
  reviewed: z.string(),
  trust: ServerTrustSchema,
  reason: z.string().optional(),
  origin: z.enum(['config', 'person', 'agent']).optional(),
  listedAt: z.number().optional(),
  error: z.string().optional(),
  tools: z.array(ToolReviewSchema),
  removed: z.array(z.string()),
  prompts: z.array(ItemReviewSchema),
  /** Static resources the scanner flags (held back from clients until a person lets them through) or a person decided on; `name` is the URI. */
  resources: z.array(ItemReviewSchema),
  /** How many static resources it lists besides: its data, which clients get with the server. */
  otherResources: z.number(),
  resourceTemplates: z.array(ItemReviewSchema),
  /** What the server tells the model about itself (its `initialize` instructions), approved with the server. */
  instructions: z.object({ text: z.string(), trust: ToolTrustSchema, findings: z.array(FindingSchema) }).optional(),
  /** Other servers' tools whose descriptions name this server's tools: they would steer how those are used. */
  namedBy: z.array(z.object({ server: z.string(), tool: z.string(), trust: ToolTrustSchema, names: z.array(z.string()) })).optional(),
  /** Why it was not started to be listed (a server an agent asked for runs only when the person asks: `refresh`). */
  notStarted: z.string().optional(),
  /** How it will be started, beyond its command: environment and headers (secrets redacted), folder, container, and what deserves a second look. */
  launch: z.object({
    env: z.array(z.object({ name: z.string(), value: z.string() })),
    headers: z.array(z.object({ name: z.string(), value: z.string() })),
    cwd: z.string().optional(),
    /** Where it runs, in words: in a container (and what that may reach) or as a program of the user's. */
    sandbox: z.string().optional(),
    concerns: z.array(z.string()),
    /** That it runs whatever release of a package is newest when installed (no exact version named), in words. */
    release: z.string().optional(),
    /** That the image it runs in is named by a tag its publisher can move (no digest), in words. */
    image: z.string().optional(),
    /**
     * The runtime whose row of the images table names that image (config.json's `isolation.images`, or
     * Gatehouse's default): pinning the row (`settings.pinImages`) pins it for every server in it.
     */
    imageRuntime: z.string().optional(),
  }),
});

export const ApprovalRequestSchema = z.object({
  id: z.string(),
  server: z.string(),
  tool: z.string(),
  /** The call's arguments as JSON, secrets redacted; cut, and saying so, beyond 100,000 characters. */
  arguments: z.string(),
  /** The client that made the call, as it introduced itself (or by its token's name), when known. */
  client: z.string().optional(),
  requestedAt: z.number(),
  expiresAt: z.number(),
});

/** The settings a person changes in the window: config.json's own keys, not its servers. */
export const SettingsSchema = z.object({
  mode: GatewayModeSchema,
  maxResultChars: z.number().int().min(1000, 'maxResultChars must be at least 1000'),
  callTimeoutSeconds: z.number().positive('callTimeoutSeconds must be positive'),
  idleTimeoutMinutes: z.number().min(0, 'idleTimeoutMinutes must be 0 (never) or more'),
  approvalTimeoutSeconds: z.number().positive('approvalTimeoutSeconds must be positive'),
  searchByMeaning: z.boolean(),
  removeHiddenText: z.boolean(),
  /**
   * The gateway's tool that manages servers (`upstream_servers`): offered to add, change and remove them
   * (each lands in review), offered to list them only (config.json's `readOnly`), or not offered
   * (`disableManagement`).
   */
  management: z.enum(['full', 'list', 'off']),
  /** What `gatehouse serve --read-only` or `--disable-management` holds the tool to, whatever `management` says. */
  managementForced: z.enum(['list', 'off']).optional(),
  /** Isolation for stdio servers whose entry says nothing of it. */
  isolation: z.object({
    enabled: z.boolean(),
    network: z.enum(['none', 'bridge']),
    memory: z.string().regex(/^\d+(\.\d+)?\s*[kmg]?b?$/i, 'memory is a size like "512m" or "2g"').optional(),
    cpus: z.number().positive('cpus must be positive').optional(),
    fallback: z.enum(['none', 'unisolated']),
  }),
  /** How much the activity log keeps, in force: the oldest records go first when any bound is reached. */
  activity: z.object({
    maxAgeDays: z.number().min(RETENTION_FLOOR.maxAgeDays, `the activity log keeps at least ${RETENTION_FLOOR.maxAgeDays} day (maxAgeDays)`),
    maxRecords: z.number().int().min(RETENTION_FLOOR.maxRecords, `the activity log keeps at least ${RETENTION_FLOOR.maxRecords} records (maxRecords)`),
    maxMB: z.number().min(RETENTION_FLOOR.maxMB, `the activity log keeps at least ${RETENTION_FLOOR.maxMB} MB (maxMB)`),
  }),
  /** What config.json asks of the activity log below those floors; the floor is kept instead. */
  activityRaised: z.object({ maxAgeDays: z.number(), maxRecords: z.number(), maxMB: z.number() }).partial().optional(),
});

/** A change to the settings: those named replace theirs, isolation's and activity's merge with their own (a limit given as null is taken off). */
export const SettingsChangeSchema = SettingsSchema.omit({ isolation: true, managementForced: true, activity: true, activityRaised: true })
  .partial()
  .extend({
    activity: SettingsSchema.shape.activity.partial().optional(),
    isolation: SettingsSchema.shape.isolation
      .partial()
      .extend({ memory: SettingsSchema.shape.isolation.shape.memory.unwrap().nullable().optional(), cpus: SettingsSchema.shape.isolation.shape.cpus.unwrap().nullable().optional() })
      .optional(),
  });

/** The image one runtime's command servers run in when their entry names none. */
export const ImageRowSchema = z.object({
  runtime: z.string(),
  image: z.string(),
  /** `config`: config.json's `isolation.images` names it; `default`: Gatehouse's own choice. */
  namedBy: z.enum(['config', 'default']),
  /** Named by its digest, so a tag moving changes nothing. */
  pinned: z.boolean(),
  /** The servers whose containers run it. */
  servers: z.array(z.string()),
  /** The servers allowed some hosts, whose relay to Gatehouse's proxy runs in it (the node row's image). */
  relays: z.array(z.string()),
  /** The approved ones that pinning it would send back to review, and why. */
  sentBack: z.array(z.object({ name: z.string(), reason: z.string() })),
});

/** One record of the activity log: every string redacted and cut before it was kept. */
export const ActivityRecordSchema = z.object({
  seq: z.number().int(),
  at: z.number(),
  kind: z.enum(['call', 'read', 'server', 'trust', 'config', 'admin', 'signin']),
  actor: z.enum(['agent', 'person:ui', 'person:cli', 'gatehouse']),
  client: z.string().optional(),
  session: z.string().optional(),
  server: z.string().optional(),
  tool: z.string().optional(),
  status: z.string().optional(),
  durationMs: z.number().optional(),
  rule: z.string().optional(),
  approval: z.string().optional(),
  arguments: z.string().optional(),
  result: z.string().optional(),
  error: z.string().optional(),
  detail: z.string().optional(),
  prevHash: z.string(),
  hash: z.string(),
});

export const ActivityFilterShape = {
  kind: ActivityRecordSchema.shape.kind.optional(),
  server: z.string().min(1).optional(),
  tool: z.string().min(1).optional(),
  client: z.string().min(1).optional(),
  status: z.string().min(1).optional(),
  since: z.number().optional(),
  until: z.number().optional(),
  text: z.string().min(1).optional(),
};

export const ToolStatsSchema = z.object({
  server: z.string(),
  tool: z.string(),
  calls: z.number().int(),
  errors: z.number().int(),
  p50Ms: z.number(),
  p99Ms: z.number(),
  lastAt: z.number(),
});

export const VerifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  first: z.number().int().optional(),
  last: z.number().int().optional(),
  problems: z.array(z.object({ seq: z.number().int(), problem: z.string() })),
});

export const SignInStatusSchema = z.object({
  server: z.string(),
  /** `required`: requests fail until a person signs in (again); `reason` says why and how. */
  state: z.enum(['signed-out', 'signing-in', 'signed-in', 'required']),
  reason: z.string().optional(),
  /** `key`: it offers no sign-in and wants a key in its headers; `key-or-sign-in`: it publishes no OAuth metadata. */
  wants: z.enum(['key', 'key-or-sign-in']).optional(),
  /** Why the last sign-in failed. */
  lastError: z.string().optional(),
  /** While signing in: the authorization page the browser should show. */
  authorizationUrl: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  /** When the access token expires (ms since epoch); Gatehouse refreshes it before then. */
  expiresAt: z.number().optional(),
  refreshable: z.boolean().optional(),
  issuer: z.string().optional(),
});

export const ClientInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  file: z.string().optional(),
  /** Installed here: its config file or its folder exists. */
  found: z.boolean(),
  connected: z.boolean(),
  /** How it reaches Gatehouse: HTTP with a token of its own, or `gatehouse stdio`. */
  transport: z.enum(['http', 'stdio']),
  /** Its own servers, by the names it gives them. */
  servers: z.array(z.string()),
  /** Why its file cannot be used (malformed: reported, never written). */
  problem: z.string().optional(),
  canUndo: z.boolean(),
  /** The Gatehouse servers it may use, when limited (a profile); absent: all. */
  profile: z.array(z.string()).optional(),
});

export const ClientPreviewSchema = z.object({
  client: z.string(),
  file: z.string(),
  diff: z.string(),
  /** The file's hash now: pass it back as `expected`, so a change made since is refused. */
  hash: z.string(),
});

export const ClientImportSchema = z.object({
  imported: z.array(z.object({ name: z.string(), as: z.string() })),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
  secrets: z.array(z.string()),
  removedFromClient: z.array(z.string()),
});

export const VaultKeySchema = z.object({ fingerprint: z.string(), sign: z.string(), agree: z.string() });
