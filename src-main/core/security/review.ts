// What a person sees before deciding on a server: every definition in full, each tool's standing
// against its pin (a diff when it changed or was renamed), the scanner's findings and the call rule.
import type { ServerCatalog } from '../../../src-shared/catalog.js';
import type { CallRule, ServerOrigin, ServerTrust, ToolTrust } from '../../../src-shared/trust.js';
import { diffDefinitions, pinnedPart, type DiffLine } from './pins.js';
import { scanShadowing, scanTool, type Finding } from './scanner.js';
import type { TrustStore } from './trust-store.js';

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

/** `others`: every other server's tool names (name → server), to spot a description steering them. */
export function reviewOf(server: string, catalog: ServerCatalog | undefined, trust: TrustStore, others: ReadonlyMap<string, string> = new Map()): ServerReview {
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
    ...trust.describe(server),
    ...(catalog ? { listedAt: catalog.fetchedAt } : {}),
    tools,
    removed: trust.removedTools(server),
    prompts: catalog?.prompts ?? [],
    resources: catalog?.resources ?? [],
    resourceTemplates: catalog?.resourceTemplates ?? [],
  };
}
