// What a person sees before deciding on a server: every definition in full, each tool's standing
// against its pin (a diff when it changed or was renamed), the scanner's findings and the call rule.
import { createHash } from 'node:crypto';
import type { ServerCatalog } from '../../../src-shared/catalog.js';
import { serverKind, type ServerConfig } from '../../../src-shared/config/schema.js';
import type { CallRule, ServerOrigin, ServerTrust, ToolTrust } from '../../../src-shared/trust.js';
import { canonicalJson, diffDefinitions, hashTool, pinnedPart, type DiffLine } from './pins.js';
import { scanShadowing, scanTool, type Finding } from './scanner.js';
import { serverIdentity, type TrustStore } from './trust-store.js';

export interface ToolReview {
  name: string;
  trust: ToolTrust;
  definition: Record<string, unknown>;
  findings: Finding[];
  diff?: DiffLine[];
  renamedFrom?: string;
  rule: CallRule;
}

export interface ServerReview {
  server: string;
  target: string;
  transport: 'stdio' | 'http' | 'sse';
  /** What this review showed, as a hash (see `reviewedHash`). */
  reviewed: string;
  trust: ServerTrust;
  reason?: string;
  origin?: ServerOrigin;
  /** When Gatehouse last listed it; absent when it never has. */
  listedAt?: number;
  /** Why listing it for this review failed. */
  error?: string;
  tools: ToolReview[];
  /** Approved tools the server no longer lists. */
  removed: string[];
  prompts: Record<string, unknown>[];
  resources: Record<string, unknown>[];
  resourceTemplates: Record<string, unknown>[];
}

/**
 * What a person is shown when reviewing a server, as one hash: how it is started or reached, and every tool
 * definition it lists. An approval carries it, and is refused when the server changed in between (an agent
 * rewrote its command while the person read the review, say).
 */
export function reviewedHash(config: ServerConfig, catalog: ServerCatalog | undefined): string {
  const tools = (catalog?.tools ?? []).map((t) => [t.name, hashTool(t)]);
  return createHash('sha256').update(canonicalJson({ server: serverIdentity(config), headers: Object.keys(config.headers ?? {}).sort(), tools })).digest('base64url');
}

/** How a server is started or reached, for a person: the command and its arguments, or the URL. */
export function targetOf(config: ServerConfig): string {
  return serverKind(config) === 'stdio' ? [config.command, ...(config.args ?? [])].join(' ') : (config.url ?? '');
}

/** `others`: every other server's tool names (name → server), to spot a description steering them. */
export function reviewOf(
  server: string,
  config: ServerConfig,
  catalog: ServerCatalog | undefined,
  trust: TrustStore,
  others: ReadonlyMap<string, string> = new Map(),
): ServerReview {
  const tools = (catalog?.tools ?? []).map((tool): ToolReview => {
    const standing = trust.toolStanding(server, tool, true);
    return {
      name: tool.name,
      trust: standing.trust,
      definition: tool,
      findings: [...scanTool(tool), ...scanShadowing(tool, others)],
      ...(standing.previous ? { diff: diffDefinitions(standing.previous, pinnedPart(tool)) } : {}),
      ...(standing.renamedFrom ? { renamedFrom: standing.renamedFrom } : {}),
      rule: trust.rule(server, tool),
    };
  });
  return {
    server,
    target: targetOf(config),
    transport: serverKind(config) ?? 'stdio',
    reviewed: reviewedHash(config, catalog),
    ...trust.describe(server),
    ...(catalog ? { listedAt: catalog.fetchedAt } : {}),
    tools,
    removed: trust.removedTools(server),
    prompts: catalog?.prompts ?? [],
    resources: catalog?.resources ?? [],
    resourceTemplates: catalog?.resourceTemplates ?? [],
  };
}
