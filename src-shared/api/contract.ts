// The admin API: everything a person does in Gatehouse, as one typed contract. The core implements it
// once (src-main/core/admin); adapters carry it over HTTP (+ Server-Sent Events), in memory, and (in the
// desktop app) Electron IPC. The UI and the CLI hold a client built on any of them and cannot tell which.
import { z } from 'zod';
import {
  ActivityFilterShape,
  ActivityRecordSchema,
  ApprovalRequestSchema,
  CallRuleSchema,
  ServerReviewSchema,
  ScannedDefinitionSchema,
  SelectionShape,
  CallResultSchema,
  LogLineSchema,
  RefreshResultSchema,
  SearchResultSchema,
  SearchStatusSchema,
  ServerConfigSchema,
  ServerInfoSchema,
  ServerNameSchema,
  ServerStatusSchema,
  ServerStateSchema,
  ServerTrustSchema,
  SettingsChangeSchema,
  SettingsSchema,
  ImageRowSchema,
  SignInStatusSchema,
  ClientInfoSchema,
  ClientPreviewSchema,
  ClientImportSchema,
  VaultKeySchema,
  ToolDetailSchema,
  ToolStatsSchema,
  ToolSummarySchema,
  VerifyResultSchema,
} from './schemas.js';

interface MethodSpec<I extends z.ZodType, O extends z.ZodType> {
  description: string;
  input: I;
  output: O;
}

function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec;
}

const byName = z.object({ name: ServerNameSchema });

export const methods = {
  'status.get': method({
    description: 'Gatehouse itself and every server at a glance.',
    input: z.object({}),
    output: z.object({
      version: z.string(),
      pid: z.number().int(),
      gateway: z.object({ url: z.string().optional(), mode: z.enum(['search', 'direct']) }),
      search: SearchStatusSchema,
      configPath: z.string(),
      servers: z.array(ServerStatusSchema.extend({ trust: ServerTrustSchema })),
    }),
  }),
  'servers.list': method({
    description: 'Every configured server with its state and tool count.',
    input: z.object({}),
    output: z.object({ servers: z.array(ServerInfoSchema) }),
  }),
  'servers.get': method({
    description: "One server: its state, its config entry, and its tools.",
    input: byName,
    output: z.object({ server: ServerInfoSchema, config: ServerConfigSchema, tools: z.array(ToolSummarySchema) }),
  }),
  'servers.add': method({
    description:
      'Adds a server to config.json (the same entry shape as Claude Desktop). Secret values written in it literally (env variables named for a secret, every header) go into the secret store, and the entry keeps `${keyring:<server>.<KEY>}` in their place: `secrets` names them.',
    input: z.object({ name: ServerNameSchema, config: ServerConfigSchema }),
    output: z.object({ server: ServerInfoSchema, secrets: z.array(z.string()) }),
  }),
  'servers.update': method({
    description: "Replaces a server's config entry; literal secret values go into the secret store as `servers.add` says.",
    input: z.object({ name: ServerNameSchema, config: ServerConfigSchema }),
    output: z.object({ server: ServerInfoSchema, secrets: z.array(z.string()) }),
  }),
  'servers.pinRelease': method({
    description:
      "Names an exact release of the package a command server runs (npx, bunx, npm exec, pnpm/yarn dlx, uvx, uv tool run, pipx run): `version`, or the newest on its registry now. Written to its entry in config.json; an approved server goes back to review, since what runs changes.",
    input: z.object({ name: ServerNameSchema, version: z.string().min(1).max(100).optional() }),
    output: z.object({ server: ServerInfoSchema, release: z.string(), args: z.array(z.string()) }),
  }),
  'servers.pinImage': method({
    description:
      "Names the image a server runs in by its digest: the image its tag names now (pulled first when Docker does not have it), so the tag moving later changes nothing. Written to its entry in config.json (its `docker run` arguments, or its container's `image`); an approved server stays approved: the digest names the image it was approved with, and no other digest passes.",
    input: byName,
    output: z.object({ server: ServerInfoSchema, image: z.string() }),
  }),
  'servers.remove': method({
    description: 'Removes a server from config.json and stops it.',
    input: byName,
    output: z.object({ removed: z.string() }),
  }),
  'servers.enable': method({
    description: 'Enables a disabled server.',
    input: byName,
    output: z.object({ server: ServerInfoSchema }),
  }),
  'servers.disable': method({
    description: 'Disables a server: it is stopped and its tools are hidden from clients.',
    input: byName,
    output: z.object({ server: ServerInfoSchema }),
  }),
  'servers.restart': method({
    description: 'Stops a server and connects it again, clearing any backoff.',
    input: byName,
    output: z.object({ server: ServerInfoSchema }),
  }),
  'servers.logs': method({
    description: "A server's recent log lines (its stderr and Gatehouse's notes), secrets redacted.",
    input: z.object({ name: ServerNameSchema, limit: z.number().int().min(1).max(500).default(100) }),
    output: z.object({ lines: z.array(LogLineSchema) }),
  }),
  'servers.review': method({
    description:
      "Everything to decide on a server: every tool, prompt and resource in full, each tool's standing against its pinned definition (a diff when it changed), and the scanner's findings. A server never listed (or with `refresh`) is connected just long enough to list it, but one an agent asked for only with `refresh` (`notStarted` says so): listing runs its command.",
    input: z.object({ name: ServerNameSchema, refresh: z.boolean().default(false) }),
    output: z.object({ review: ServerReviewSchema }),
  }),
  'servers.reviewed': method({
    description:
      "The hash `servers.review` would return now, without building the review: a page showing a review asks this to learn whether the server changed since (how it is started or reached, or any definition it lists).",
    input: byName,
    output: z.object({ reviewed: z.string() }),
  }),
  'servers.approve': method({
    description:
      "Approves a server and pins its tools', prompts' and resource templates' definitions (all of them, or the ones named) and the static resources the scanner flagged (all of them, or those named by URI in `resources`) and its instructions to the model (with items named, when `instructions` says so, by default only on a first approval; `instructions: true` alone approves just them). A person's act only. `reviewed` is the hash `servers.review` returned: when the server's entry or any definition changed since, the approval is refused (`conflict`) — review it again.",
    input: z.object({
      name: ServerNameSchema,
      ...SelectionShape,
      /** With items named: whether the server's instructions to the model are approved too (by default only on a first approval); alone, `true` approves just them. */
      instructions: z.boolean().optional(),
      reviewed: z.string().min(1).optional(),
    }),
    output: z.object({ server: ServerInfoSchema }),
  }),
  'servers.block': method({
    description: 'Blocks a server (stopped, its tools hidden and refused), or the tools, prompts, resource templates and resources (by URI) named.',
    input: z.object({ name: ServerNameSchema, ...SelectionShape }),
    output: z.object({ server: ServerInfoSchema }),
  }),
  'scanner.scan': method({
    description:
      'The poisoning scanner over definitions handed over as text, without adding a server or starting anything: a saved tools/list answer (or the JSON-RPC response carrying it), a definition, an array or JSON Lines of definitions or of {"server", "tool"} records; prompts and resource templates too. Each definition with its findings, as its review would show them. Text over 1 MB: `gatehouse scan <file>`.',
    input: z.object({ text: z.string().min(1).max(1_000_000, 'at most 1,000,000 characters here: scan a larger file with `gatehouse scan <file>`') }),
    output: z.object({ definitions: z.number().int(), flagged: z.number().int(), items: z.array(ScannedDefinitionSchema) }),
  }),
  'policy.get': method({
    description: 'The per-call rules a person set (allow, ask, deny) and whether strict mode is on.',
    input: z.object({}),
    output: z.object({
      strict: z.boolean(),
      rules: z.array(z.object({ server: z.string(), tool: z.string().optional(), rule: CallRuleSchema })),
    }),
  }),
  'policy.set': method({
    description:
      'Sets the rule for a server (all its tools) or one tool; "default" removes it. A rule for a tool the server does not list applies once a tool of that name appears; `note` says so.',
    input: z.object({ server: ServerNameSchema, tool: z.string().min(1).optional(), rule: z.enum(['allow', 'ask', 'deny', 'default']) }),
    output: z.object({ server: z.string(), tool: z.string().optional(), rule: z.enum(['allow', 'ask', 'deny', 'default']), note: z.string().optional() }),
  }),
  'policy.strict': method({
    description: 'Strict mode: also ask before calls to tools that do not say whether they change anything.',
    input: z.object({ strict: z.boolean() }),
    output: z.object({ strict: z.boolean() }),
  }),
  'approvals.list': method({
    description: "Agents' calls waiting for a person's yes or no.",
    input: z.object({}),
    output: z.object({ requests: z.array(ApprovalRequestSchema) }),
  }),
  'approvals.answer': method({
    description: 'Allows or denies one waiting call.',
    input: z.object({ id: z.string().min(1), allow: z.boolean() }),
    output: z.object({ id: z.string(), allowed: z.boolean() }),
  }),
  'tools.list': method({
    description: 'Tools of every enabled server (or of one), from the catalog.',
    input: z.object({ server: ServerNameSchema.optional() }),
    output: z.object({ tools: z.array(ToolSummarySchema) }),
  }),
  'tools.get': method({
    description: "One tool's full definition.",
    input: z.object({ id: z.string().min(1) }),
    output: z.object({ tool: ToolDetailSchema }),
  }),
  'tools.search': method({
    description: 'Searches tools by what they do.',
    input: z.object({ query: z.string(), limit: z.number().int().min(1).max(50).default(10) }),
    output: z.object({ results: z.array(SearchResultSchema) }),
  }),
  'tools.call': method({
    description:
      'Calls a tool by id, "<server>__<tool>" (or a bare tool name only one server has), through the same pipeline as an agent\'s call: a person\'s call is not asked about ("ask" rules), but a "deny" rule refuses it. With `maxChars`, a longer result is cut and `cut` says how to read the rest.',
    input: z.object({
      id: z.string().min(1),
      arguments: z.record(z.string(), z.unknown()).default({}),
      maxChars: z.number().int().min(100).optional(),
    }),
    output: z.object({
      result: CallResultSchema,
      cut: z.object({ handle: z.string(), shown: z.number().int(), total: z.number().int() }).optional(),
    }),
  }),
  'tools.readResult': method({
    description: 'The next part of a result `tools.call` cut (kept for 30 minutes, the 50 most recent).',
    input: z.object({ handle: z.string().min(1), offset: z.number().int().min(0).default(0), maxChars: z.number().int().min(100).optional() }),
    output: z.object({ result: CallResultSchema }),
  }),
  'catalog.refresh': method({
    description: "Asks servers (all enabled, or the ones named) for their tools now. Reports progress events.",
    input: z.object({ servers: z.array(ServerNameSchema).optional() }),
    output: z.object({ results: z.array(RefreshResultSchema) }),
  }),
  'config.get': method({
    description: 'The config in force and where it lives.',
    input: z.object({}),
    output: z.object({ path: z.string(), config: z.record(z.string(), z.unknown()) }),
  }),
  'secrets.list': method({
    description: 'Secret names (never values): those set, and those servers ask for, with the servers that use each.',
    input: z.object({}),
    output: z.object({
      store: z.string(),
      secrets: z.array(z.object({ name: z.string(), set: z.boolean(), usedBy: z.array(z.string()) })),
    }),
  }),
  'secrets.set': method({
    description: 'Stores a secret in the secret store. Servers waiting for it start on their next use.',
    input: z.object({ name: z.string().min(1, 'name is required'), value: z.string().min(1, 'a secret cannot be empty') }),
    output: z.object({ name: z.string() }),
  }),
  'secrets.delete': method({
    description: 'Deletes a secret from the secret store.',
    input: z.object({ name: z.string().min(1) }),
    output: z.object({ name: z.string(), deleted: z.boolean() }),
  }),
  'secrets.reveal': method({
    description: "A secret's value. Only for a person who explicitly asked to see it.",
    input: z.object({ name: z.string().min(1) }),
    output: z.object({ name: z.string(), value: z.string() }),
  }),
  'gateway.connection': method({
    description:
      "How an AI client connects: the endpoint and its bearer token, or the command that starts the stdio bridge. With `server`, also why that server's own endpoint (`/mcp/servers/<name>`) refuses clients now, when it does.",
    input: z.object({ server: z.string().optional() }),
    output: z.object({ url: z.string().optional(), token: z.string(), stdio: z.object({ command: z.string(), args: z.array(z.string()) }), unavailable: z.string().optional() }),
  }),
  'gateway.rotateToken': method({
    description: "Replaces the gateway's bearer token: clients holding the old one are refused from now on.",
    input: z.object({}),
    output: z.object({ token: z.string() }),
  }),
  'settings.get': method({
    description: 'The settings in force: gateway mode, limits, search by meaning, isolation defaults.',
    input: z.object({}),
    output: z.object({ settings: SettingsSchema }),
  }),
  'settings.set': method({
    description: 'Changes the settings named (written to config.json, in force at once); the others stay.',
    input: SettingsChangeSchema,
    output: z.object({ settings: SettingsSchema }),
  }),
  'settings.preview': method({
    description:
      'What saving these settings would cost, without saving them: the approved servers it would send back to review (turning isolation off, giving containers the network, …) and why, and the settings that guard you it would turn off.',
    input: SettingsChangeSchema,
    output: z.object({ sentBack: z.array(z.object({ name: z.string(), reason: z.string() })), givenUp: z.array(z.string()) }),
  }),
  'settings.images': method({
    description:
      "The image each runtime's command servers run in when their entry names none (config.json's `isolation.images`, or Gatehouse's default): whether it is named by its digest, which servers run in it (and, for node, whose relay to Gatehouse's proxy does), and the approved ones that pinning it would send back to review (none that ran the image as the tag names it: the digest is that image).",
    input: z.object({}),
    output: z.object({ images: z.array(ImageRowSchema) }),
  }),
  'settings.pinImages': method({
    description:
      "Names by its digest the image of each runtime given (by default, each one some server runs in and not yet pinned): the image its tag names now, pulled first when Docker does not have it. Written to config.json's `isolation.images`; the approved servers that run in it stay approved, their approvals recording the digest beside the tag.",
    input: z.object({ runtimes: z.array(z.string().min(1).max(40)).min(1).max(20).optional() }),
    output: z.object({ images: z.array(z.object({ runtime: z.string(), image: z.string() })) }),
  }),
  'activity.query': method({
    description:
      'Activity records, newest first, filtered (kind, server, tool, client, status, time range, full text over tool names, arguments, results and errors). Page back with `before` = the `next` of the previous page.',
    input: z.object({ ...ActivityFilterShape, before: z.number().int().optional(), limit: z.number().int().min(1).max(500).default(100) }),
    output: z.object({ records: z.array(ActivityRecordSchema), next: z.number().int().optional() }),
  }),
  'activity.stats': method({
    description: 'Per tool: calls, errors, and p50/p99 duration, from the activity log (all of it, or since a time).',
    input: z.object({ server: z.string().min(1).optional(), since: z.number().optional() }),
    output: z.object({ tools: z.array(ToolStatsSchema) }),
  }),
  'activity.verify': method({
    description: "Checks the activity log's hash chain: every edited, deleted or reordered record is named.",
    input: z.object({}),
    output: VerifyResultSchema,
  }),
  'auth.status': method({
    description: 'Sign-ins of the servers that sign in (HTTP servers without an Authorization header of their own), or of one: state, scopes, expiry.',
    input: z.object({ name: ServerNameSchema.optional() }),
    output: z.object({ signIns: z.array(SignInStatusSchema) }),
  }),
  'auth.login': method({
    description:
      'Starts signing a server in (OAuth 2.1: discovery, registration, PKCE, a loopback redirect) and answers with the authorization page to open in a browser. The sign-in finishes when the person is done there: `auth.changed` says how it went. A sign-in already under way is joined.',
    input: byName,
    output: z.object({ signIn: SignInStatusSchema, authorizationUrl: z.string().optional() }),
  }),
  'auth.logout': method({
    description: "Forgets a server's tokens (the client registration stays). Its requests need a new sign-in.",
    input: byName,
    output: z.object({ signIn: SignInStatusSchema }),
  }),
  'clients.list': method({
    description: 'The AI clients Gatehouse knows (Claude Desktop, Claude Code, Cursor, VS Code, Windsurf, Codex CLI, Gemini CLI, Zed, Cline, LM Studio, Goose): found here or not, connected or not, their own servers.',
    input: z.object({ workspace: z.string().optional() }),
    output: z.object({ clients: z.array(ClientInfoSchema) }),
  }),
  'clients.preview': method({
    description: "What connecting (or disconnecting) a client would change in its config file, as a diff, and the file's hash to apply it with.",
    input: z.object({ id: z.string().min(1), action: z.enum(['connect', 'disconnect']), workspace: z.string().optional() }),
    output: z.object({ preview: ClientPreviewSchema }),
  }),
  'clients.connect': method({
    description:
      "Writes Gatehouse's entry into the client's config (HTTP with a token of its own where the client can send one, else `gatehouse stdio`), keeping the file as it was for undo. With `expected` (the preview's hash), refused when the file changed since.",
    input: z.object({ id: z.string().min(1), expected: z.string().optional(), workspace: z.string().optional() }),
    output: z.object({ client: ClientInfoSchema }),
  }),
  'clients.disconnect': method({
    description: "Removes Gatehouse's entry (and nothing else) from the client's config, and revokes its token.",
    input: z.object({ id: z.string().min(1), expected: z.string().optional(), workspace: z.string().optional() }),
    output: z.object({ client: ClientInfoSchema }),
  }),
  'clients.undo': method({
    description: "Puts the client's config file back byte for byte as it was before Gatehouse changed it; refused when it changed since.",
    input: z.object({ id: z.string().min(1), workspace: z.string().optional() }),
    output: z.object({ client: ClientInfoSchema }),
  }),
  'clients.profile': method({
    description:
      "Limits a client connected over HTTP to some of Gatehouse's servers (its profile): it sees, searches and calls only those, wherever it connects, and hears of no others; `servers: null` lifts the limit. Applies to its open sessions at once.",
    input: z.object({ id: z.string().min(1), servers: z.array(ServerNameSchema).nullable(), workspace: z.string().optional() }),
    output: z.object({ client: ClientInfoSchema }),
  }),
  'clients.import': method({
    description:
      "Brings the client's servers (all, or those named) into Gatehouse, quarantined for review; literal secrets in their env and headers move into the secret store as placeholders. With `removeFromClient`, servers already working through Gatehouse are taken out of the client's file.",
    input: z.object({ id: z.string().min(1), names: z.array(z.string()).optional(), removeFromClient: z.boolean().default(false), workspace: z.string().optional() }),
    output: ClientImportSchema,
  }),
  'vault.status': method({
    description: "This Gatehouse's vault key (what a vault authorizes), and the vault servers configured, with each vault's fingerprint and state.",
    input: z.object({}),
    output: z.object({
      key: VaultKeySchema.optional(),
      vaults: z.array(z.object({ name: z.string(), url: z.string(), fingerprint: z.string(), state: ServerStateSchema, trust: ServerTrustSchema })),
    }),
  }),
  'vault.keygen': method({
    description: "Makes this Gatehouse's vault key pair (Ed25519 and X25519; private keys 0600). Refused when one exists: replacing it would cut off every vault that trusts it.",
    input: z.object({}),
    output: z.object({ key: VaultKeySchema }),
  }),
  'ui.login': method({
    description: 'A one-time address that signs a browser in to the window (valid for 10 minutes, once).',
    input: z.object({}),
    output: z.object({ url: z.string() }),
  }),
} as const;

export const events = {
  'server.status': { description: "A server's state changed.", payload: ServerStatusSchema },
  'server.log': { description: 'A server wrote a log line (secrets redacted).', payload: LogLineSchema },
  'catalog.changed': {
    description: "A server's tools, prompts or resources changed.",
    payload: z.object({ server: z.string(), toolCount: z.number().int(), removed: z.boolean() }),
  },
  'config.changed': { description: 'config.json changed and the new config is in force.', payload: z.object({ servers: z.array(z.string()) }) },
  'config.invalid': {
    description: 'config.json was edited but is not valid; the running config stays.',
    payload: z.object({ message: z.string(), problems: z.array(z.string()) }),
  },
  'trust.changed': {
    description: "A server's trust changed: quarantined, approved, blocked, or tools waiting for a person.",
    payload: z.object({ server: z.string(), trust: ServerTrustSchema, attention: z.number().int() }),
  },
  'approval.requested': { description: "An agent's call waits for a person's yes or no.", payload: ApprovalRequestSchema },
  'approval.resolved': {
    description: 'A waiting call was answered, ran out of time, or was withdrawn.',
    payload: z.object({ id: z.string(), allowed: z.boolean(), by: z.enum(['person', 'timeout', 'client', 'cancelled']) }),
  },
  'auth.changed': { description: "A server's sign-in changed: under way, signed in, failed, or needed again.", payload: SignInStatusSchema },
  'clients.changed': { description: "Gatehouse changed an AI client's config file (connected, disconnected, undone, servers taken out).", payload: z.object({ client: z.string() }) },
  'activity.recorded': { description: 'A new activity record was written.', payload: ActivityRecordSchema },
  progress: {
    description: 'Progress of a long operation.',
    payload: z.object({ operation: z.string(), id: z.string(), done: z.number(), total: z.number(), message: z.string().optional() }),
  },
  notice: { description: 'Something the subscriber should know about its own subscription.', payload: z.object({ message: z.string() }) },
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;
export type ApiEvent = { [E in EventName]: { type: E; payload: EventPayload<E> } }[EventName];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

export const API_VERSION = 1;
