// What an agent may see: the servers that are enabled and approved, their approved tools, the search
// index over them (rebuilt in the background, server by server), and in words why anything else is not
// available. The gateway, the call pipeline and the admin API all ask here.
import type { GatehouseConfig } from '../../../src-shared/config/schema.js';
import { serverEntry } from '../../../src-shared/config/schema.js';
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ServerCatalog, ToolDefinition } from '../../../src-shared/catalog.js';
import { parseToolId, toolId } from '../../../src-shared/ids.js';
import type { Catalog } from '../catalog/index.js';
import { ToolSearch, type SearchHit, type SemanticSearch, type SearchStatus } from '../search/index.js';
import { itemFindings, itemUnavailableReason, scanResources, unavailableReason, type TrustStore } from '../security/index.js';

export interface VisibilityDeps {
  config: () => GatehouseConfig;
  catalog: Catalog;
  trust: TrustStore;
  /** Lists servers' tools from the servers themselves: each server's listing, or why it failed. */
  list: (names: string[]) => Promise<Map<string, ServerCatalog | Error>>;
  /** The set of visible servers or tools changed: clients are told their lists changed. */
  onListsChanged: () => void;
  /** Search by meaning, when this process runs the model. */
  semantic?: SemanticSearch;
}

export type ToolLookup = { server: string; tool: ToolDefinition };

export class Visibility {
  private visible = new Set<string>();
  private readonly index: ToolSearch;
  private readonly toIndex = new Set<string>();
  private background = false;
  /** Listings of never-listed servers under way; the gateway waits for them before answering. */
  private readonly listing = new Map<string, Promise<ServerCatalog | Error | undefined>>();

  constructor(private readonly deps: VisibilityDeps) {
    this.index = new ToolSearch(deps.semantic);
  }

  /** Recomputes which servers are visible: enabled in config.json and approved by a person. */
  update(): void {
    const servers = this.deps.config().mcpServers;
    const next = new Set(Object.keys(servers).filter((n) => servers[n].enabled !== false && this.deps.trust.serverTrust(n) === 'approved'));
    for (const name of this.visible) if (!next.has(name)) this.queue(name);
    for (const name of next) if (!this.visible.has(name)) this.queue(name);
    const changed = next.size !== this.visible.size || [...next].some((n) => !this.visible.has(n));
    this.visible = next;
    if (changed) this.deps.onListsChanged();
  }

  /** A server's tools or trust changed: reindex it, and tell clients when an agent can see it. */
  serverChanged(name: string): void {
    if (!this.visible.has(name)) return;
    this.queue(name);
    this.deps.onListsChanged();
  }

  isVisible(server: string): boolean {
    return this.visible.has(server);
  }

  servers(): string[] {
    return [...this.visible];
  }

  /** A server's approved tools, whether or not it is enabled. */
  usableTools(server: string): ToolDefinition[] {
    return (this.deps.catalog.get(server)?.tools ?? []).filter((t) => this.deps.trust.usable(server, t));
  }

  /** A visible server's approved prompts. */
  prompts(server: string): PromptDefinition[] {
    if (!this.visible.has(server)) return [];
    return (this.deps.catalog.get(server)?.prompts ?? []).filter((p) => this.deps.trust.usableItem(server, 'prompt', p));
  }

  /** A visible server's approved resource templates. */
  resourceTemplates(server: string): ResourceTemplateDefinition[] {
    if (!this.visible.has(server)) return [];
    return (this.deps.catalog.get(server)?.resourceTemplates ?? []).filter((t) => this.deps.trust.usableItem(server, 'template', t));
  }

  /**
   * A visible server's static resources, but for those the poisoning scanner flags that no person let
   * through. A resource's name and description reach the model as a tool's do; the scanner reads each once.
   */
  async resources(server: string): Promise<ResourceDefinition[]> {
    const catalog = this.visible.has(server) ? this.deps.catalog.get(server) : undefined;
    if (!catalog) return [];
    await scanResources(catalog);
    return catalog.resources.filter((r) => this.deps.trust.usableItem(server, 'resource', r));
  }

  /** Why an agent may not read a static resource the server lists; undefined when it may, or it lists none of that URI. */
  resourceUnavailable(server: string, uri: string): string | undefined {
    const resource = this.deps.catalog.get(server)?.resources.find((r) => r.uri === uri);
    if (!resource) return undefined;
    itemFindings(resource); // this one read now, if the listing's scan has not reached it
    return itemUnavailableReason(this.deps.trust, server, 'resource', resource);
  }

  /** Why an agent may not use a prompt of a server; undefined when it may. */
  promptUnavailable(server: string, name: string): string | undefined {
    const prompt = this.deps.catalog.get(server)?.prompts.find((p) => p.name === name);
    if (!this.visible.has(server) || !prompt) return `no prompt "${name}"`;
    return itemUnavailableReason(this.deps.trust, server, 'prompt', prompt);
  }

  /** An approved tool of a visible server. */
  usableTool(server: string, name: string): ToolDefinition | undefined {
    const tool = this.visible.has(server) ? this.deps.catalog.tool(server, name) : undefined;
    return tool && this.deps.trust.usable(server, tool) ? tool : undefined;
  }

  /** Tools an agent may use: the approved tools of approved, enabled servers (or of one server). */
  tools(server?: string): ToolLookup[] {
    const names = server ? [server] : [...this.visible];
    return names.flatMap((s) => this.usableTools(s).map((tool) => ({ server: s, tool })));
  }

  /** A usable tool by id, `<server>__<tool>`. */
  find(id: string): ToolLookup | undefined {
    const parsed = parseToolId(id);
    const tool = parsed ? this.usableTool(parsed.server, parsed.tool) : undefined;
    return tool ? { server: parsed!.server, tool } : undefined;
  }

  /** The ids of every usable tool with this bare name (no server part). */
  idsNamed(name: string): ToolLookup[] {
    return [...this.visible].flatMap((server) => {
      const tool = this.usableTool(server, name);
      return tool ? [{ server, tool }] : [];
    });
  }

  allIds(): string[] {
    return [...this.visible].flatMap((s) => this.usableTools(s).map((t) => toolId(s, t.name)));
  }

  /** Why an agent cannot use a server (or one of its tools), in words for the agent; undefined when it can. */
  unavailable(server: string, toolName?: string): string | undefined {
    const config = serverEntry(this.deps.config(), server);
    if (!config) return undefined;
    return unavailableReason(this.deps.trust, server, config, toolName ? this.deps.catalog.tool(server, toolName) : undefined);
  }

  search(query: string, limit = 10): Promise<SearchHit[]> {
    for (const name of this.toIndex) this.indexNow(name);
    return this.index.search(query, limit);
  }

  searchStatus(): SearchStatus {
    return this.index.status();
  }

  /** Lists the tools of visible servers that have never been listed. Resolves when all have answered or failed. */
  catalogueNew(): Promise<void> {
    for (const name of this.visible) if (this.neverListed(name)) void this.firstListing(name);
    return this.catalogued();
  }

  /**
   * No listing of it has been seen, or none pinned: a server approved before it was listed gets its first
   * listing pinned, and a listing another gateway on this home saved in the tool cache before pinning it
   * is not one this process has seen.
   */
  private neverListed(name: string): boolean {
    return !this.deps.catalog.get(name) || this.deps.trust.awaitsFirstListing(name);
  }

  /**
   * A call to a visible server that was never listed needs its tools first: lists it (once, however many
   * ask) and resolves to why the listing failed, if it did. Undefined, at once, when there is nothing to
   * list — the common case, which then costs a call no wait.
   */
  listIfNew(server: string): Promise<Error | undefined> | undefined {
    if (!this.visible.has(server) || !this.neverListed(server)) return undefined;
    return this.firstListing(server).then((outcome) => (outcome instanceof Error ? outcome : undefined));
  }

  private firstListing(name: string): Promise<ServerCatalog | Error | undefined> {
    let job = this.listing.get(name);
    if (!job) {
      job = this.deps
        .list([name])
        .then((results) => results.get(name))
        .finally(() => this.listing.delete(name));
      this.listing.set(name, job);
    }
    return job;
  }

  /** Resolves once no first listing is under way. */
  async catalogued(): Promise<void> {
    while (this.listing.size) await Promise.all(this.listing.values());
  }

  /**
   * Indexing from now on runs in the background as servers are queued. Until this is called (the host
   * listens), the queue waits, so a start-up with thousands of cached tools answers its first request sooner;
   * any search works the queue off first.
   */
  indexInBackground(): void {
    this.background = true;
    if (this.toIndex.size) setImmediate(() => this.indexSome());
  }

  private queue(name: string): void {
    this.toIndex.add(name);
    if (this.background && this.toIndex.size === 1) setImmediate(() => this.indexSome());
  }

  private indexNow(name: string): void {
    this.toIndex.delete(name);
    const catalog = this.visible.has(name) ? this.deps.catalog.get(name) : undefined;
    if (!catalog) return this.index.removeServer(name);
    // A server's own words weigh in its tools' ranking only as a person approved them.
    const instructions = this.deps.trust.instructionsApproved(name, catalog.instructions) ? catalog.instructions : undefined;
    this.index.setServer(name, this.usableTools(name), serverEntry(this.deps.config(), name)?.description ?? instructions);
  }

  /** Indexes queued servers for up to ~8 ms, then yields to pending I/O. */
  private indexSome(): void {
    const until = performance.now() + 8;
    for (const name of this.toIndex) {
      this.indexNow(name);
      if (performance.now() > until) break;
    }
    if (this.toIndex.size) setImmediate(() => this.indexSome());
  }
}
