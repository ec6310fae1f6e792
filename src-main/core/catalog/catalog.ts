// Every server's tools, prompts and resources in memory, kept in step with the cache on disk.
import { EventEmitter } from 'node:events';
import type { ServerCatalog, ToolDefinition } from '../../../src-shared/catalog.js';
import type { CatalogCache } from './cache.js';

export class Catalog extends EventEmitter<{ change: [server: string, catalog: ServerCatalog | undefined] }> {
  private readonly servers = new Map<string, ServerCatalog>();
  private readonly writes = new Set<Promise<unknown>>();

  constructor(private readonly cache?: CatalogCache) {
    super();
  }

  /** Loads the cached catalogs of the servers in `keep`; cache files of other servers are dropped. */
  async loadCache(keep: ReadonlySet<string>): Promise<void> {
    if (!this.cache) return;
    for (const catalog of this.cache.loadAll()) {
      if (keep.has(catalog.server)) this.servers.set(catalog.server, catalog);
      else this.track(this.cache.remove(catalog.server));
    }
  }

  get(server: string): ServerCatalog | undefined {
    return this.servers.get(server);
  }

  all(): ServerCatalog[] {
    return [...this.servers.values()];
  }

  tool(server: string, tool: string): ToolDefinition | undefined {
    return this.servers.get(server)?.tools.find((t) => t.name === tool);
  }

  set(catalog: ServerCatalog): void {
    this.servers.set(catalog.server, catalog);
    this.track(this.cache?.save(catalog));
    this.emit('change', catalog.server, catalog);
  }

  remove(server: string): void {
    if (!this.servers.delete(server)) return;
    this.track(this.cache?.remove(server));
    this.emit('change', server, undefined);
  }

  /** Resolves when every cache write started so far has landed (called before Gatehouse exits). */
  async flush(): Promise<void> {
    while (this.writes.size) await Promise.all(this.writes);
  }

  private track(write: Promise<unknown> | undefined): void {
    if (!write) return;
    const settled = write.catch(() => undefined).finally(() => this.writes.delete(settled));
    this.writes.add(settled);
  }
}
