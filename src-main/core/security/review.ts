// What a person sees before deciding on a server: every definition in full, each tool's standing
// against its pin (a diff when it changed or was renamed), the scanner's findings and the call rule.
import { createHash } from 'node:crypto';
import type { ServerCatalog } from '../../../src-shared/catalog.js';
import { serverKind, type ServerConfig } from '../../../src-shared/config/schema.js';
import type { CallRule, ServerOrigin, ServerTrust, ToolTrust } from '../../../src-shared/trust.js';
import { canonicalJson, diffDefinitions, hashItem, hashTool, itemKey, meaningText, pairByMeaning, pinnedItem, pinnedPart, type DiffLine, type ItemDefinition, type ItemKind } from './pins.js';
import { flaggedIfScanned, itemFindings, scannedOnce, toolFindings } from './findings.js';
import { flagged, otherServersTools, scanDefinition, scanShadowing, type Finding } from './scanner/index.js';
import { serverIdentity } from './server-identity.js';
import type { TrustStore } from './trust-store.js';

/** A tool, prompt or resource template under review: its standing against its pin, in full, scanned. */
export interface ItemReview {
  name: string;
  trust: ToolTrust;
  definition: Record<string, unknown>;
  findings: Finding[];
  diff?: DiffLine[];
}

export interface ToolReview extends ItemReview {
  renamedFrom?: string;
  rule: CallRule;
}

export interface ServerReview {
  server: string;
  target: string;
  transport: 'stdio' | 'http' | 'sse' | 'vault';
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
  prompts: ItemReview[];
  /**
   * Static resources the scanner flags, or a person decided on: held back from clients until let through.
   * Their `name` is their URI.
   */
  resources: ItemReview[];
  /** How many static resources it lists besides those: its data, which clients get with the server. */
  otherResources: number;
  resourceTemplates: ItemReview[];
  /** What the server tells the model about itself (its `initialize` instructions), approved with the server. */
  instructions?: { text: string; trust: ToolTrust; findings: Finding[] };
  /** Other servers' tools whose descriptions name this server's tools: they would steer how those are used. */
  namedBy?: NamedBy[];
}

/** A tool of another server whose description names tools of the server under review. */
export interface NamedBy {
  server: string;
  tool: string;
  trust: ToolTrust;
  names: string[];
}

/**
 * What a person is shown when reviewing a server, as one hash: how it is started or reached, and every tool
 * definition it lists. An approval carries it, and is refused when the server changed in between (an agent
 * rewrote its command while the person read the review, say).
 */
export function reviewedHash(config: ServerConfig, catalog: ServerCatalog | undefined, container?: string[]): string {
  const tools = (catalog?.tools ?? []).map((t) => [t.name, hashTool(t)]);
  const prompts = (catalog?.prompts ?? []).map((p) => [p.name, hashItem(p)]);
  const templates = (catalog?.resourceTemplates ?? []).map((t) => [t.name, hashItem(t)]);
  // Static resources are data and change; those the scanner flagged are shown for a decision, so they count.
  const resources = (catalog?.resources ?? []).filter((r) => flaggedIfScanned(r)).map((r) => [r.uri, hashItem(r)]);
  const instructions = catalog?.instructions ?? '';
  // The environment and headers as written (placeholders, not what they stand for), as the review shows them.
  const written = { env: config.env ?? {}, headers: config.headers ?? {} };
  // And the container it runs in, which the settings for every server shape as well as its entry.
  const hashed = { server: serverIdentity(config), written, tools, prompts, templates, instructions, ...(resources.length ? { resources } : {}), ...(container ? { container } : {}) };
  return createHash('sha256').update(canonicalJson(hashed)).digest('base64url');
}

/**
 * New tools that are removed ones renamed, judged by meaning: the model's vectors of their descriptions,
 * paired when each is the other's nearest (see `pairByMeaning`). Tools whose words already say so are left
 * to `toolStanding`. Empty when the model is not running.
 */
export async function renamesByMeaning(
  server: string,
  catalog: ServerCatalog | undefined,
  trust: TrustStore,
  embed: (texts: string[]) => Promise<Float32Array[] | undefined>,
): Promise<Map<string, string>> {
  const added = (catalog?.tools ?? []).filter((t) => {
    const s = trust.toolStanding(server, t, true);
    return s.trust === 'pending' && !s.renamedFrom;
  });
  const listed = new Set(catalog?.tools.map((t) => t.name));
  const removed = trust.removedTools(server).flatMap((name) => {
    const def = listed.has(name) ? undefined : trust.removedDefinition(server, name);
    return def ? [{ name, def }] : [];
  });
  if (!added.length || !removed.length) return new Map();
  const vectors = await embed([...added.map((t) => meaningText(pinnedPart(t))), ...removed.map((r) => meaningText(r.def))]);
  return vectors ? pairByMeaning(added.map((t) => t.name), removed.map((r) => r.name), vectors) : new Map();
}

function itemReview(server: string, kind: ItemKind, item: ItemDefinition, trust: TrustStore): ItemReview {
  const standing = trust.itemStanding(server, kind, item, true);
  return {
    name: itemKey(kind, item),
    trust: standing.trust,
    definition: item,
    findings: itemFindings(item),
    ...(standing.previous ? { diff: diffDefinitions(standing.previous, pinnedItem(item)) } : {}),
  };
}

/** A listing's static resources a person needs to see: those the scanner flags and those already decided. */
function resourcesReview(server: string, catalog: ServerCatalog | undefined, trust: TrustStore): Pick<ServerReview, 'resources' | 'otherResources'> {
  const all = catalog?.resources ?? [];
  const shown = all.filter((r) => flagged(itemFindings(r)) || trust.resourceDecided(server, r.uri));
  return { resources: shown.map((r) => itemReview(server, 'resource', r, trust)), otherResources: all.length - shown.length };
}

/** How a server is started or reached, for a person: the command and its arguments, or the URL. */
export function targetOf(config: ServerConfig): string {
  return serverKind(config) === 'stdio' ? [config.command, ...(config.args ?? [])].join(' ') : (config.url ?? '');
}

/**
 * Which other servers' tools name this server's tools in their descriptions (the review's shadowing check,
 * read the other way). A description approved before this server was added could not be flagged for
 * naming its tools then: it is shown here, where the person deciding on this server looks.
 */
export function namedBy(server: string, catalog: ServerCatalog | undefined, catalogs: readonly ServerCatalog[], trust: TrustStore): NamedBy[] {
  const mine = catalog?.tools ?? [];
  if (!mine.length) return [];
  const out: NamedBy[] = [];
  for (const other of catalogs) {
    if (other.server === server) continue;
    // This server's names as the other one's review reads them: less those it lists itself.
    const names = otherServersTools(other.server, [...mine.map((t) => ({ server, name: t.name })), ...other.tools.map((t) => ({ server: other.server, name: t.name }))]);
    if (!names.size) continue;
    for (const tool of other.tools) {
      const found = scanShadowing(tool, names);
      if (found.length) {
        // Each finding spans the name where it stands in the description.
        const text = String(tool.description);
        out.push({ server: other.server, tool: tool.name, trust: trust.toolStanding(other.server, tool).trust, names: [...new Set(found.map((f) => text.slice(f.start, f.end)))] });
      }
    }
  }
  return out;
}

/**
 * `others`: every other server's tool names (name → server), to spot a description steering them.
 * `renames`: new tools found by meaning to be removed ones renamed (new name → old name).
 */
export function reviewOf(
  server: string,
  config: ServerConfig,
  catalog: ServerCatalog | undefined,
  trust: TrustStore,
  others: ReadonlyMap<string, string> = new Map(),
  renames: ReadonlyMap<string, string> = new Map(),
  container?: string[],
): ServerReview {
  const tools = (catalog?.tools ?? []).map((tool): ToolReview => {
    let standing = trust.toolStanding(server, tool, true);
    const renamedFrom = standing.trust === 'pending' && !standing.renamedFrom ? renames.get(tool.name) : undefined;
    const previous = renamedFrom ? trust.removedDefinition(server, renamedFrom) : undefined;
    if (renamedFrom && previous) standing = { ...standing, renamedFrom, previous };
    return {
      name: tool.name,
      trust: standing.trust,
      definition: tool,
      findings: [...toolFindings(tool), ...scanShadowing(tool, others)],
      ...(standing.previous ? { diff: diffDefinitions(standing.previous, pinnedPart(tool)) } : {}),
      ...(standing.renamedFrom ? { renamedFrom: standing.renamedFrom } : {}),
      rule: trust.rule(server, tool),
    };
  });
  return {
    server,
    target: targetOf(config),
    transport: serverKind(config) ?? 'stdio',
    reviewed: reviewedHash(config, catalog, container),
    ...trust.describe(server),
    ...(catalog ? { listedAt: catalog.fetchedAt } : {}),
    tools,
    removed: trust.removedTools(server),
    prompts: (catalog?.prompts ?? []).map((p) => itemReview(server, 'prompt', p, trust)),
    ...resourcesReview(server, catalog, trust),
    resourceTemplates: (catalog?.resourceTemplates ?? []).map((t) => itemReview(server, 'template', t, trust)),
    ...(catalog?.instructions
      ? {
          instructions: {
            text: catalog.instructions,
            trust: trust.instructionsStanding(server, catalog.instructions),
            findings: scannedOnce(catalog, () => scanDefinition({ instructions: catalog.instructions })),
          },
        }
      : {}),
  };
}
