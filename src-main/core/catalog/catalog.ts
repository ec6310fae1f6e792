// Every server's tools, prompts and resources in memory, kept in step with the cache on disk.
import { EventEmitter } from 'node:events';
import type { ServerCatalog, ToolDefinition } from '../../../src-shared/catalog.js';
import type { CatalogCache } from './cache.js';

export class Catalog extends EventEmitter<{ change: [server: string, catalog: ServerCatalog | undefined] }> {
  private readonly servers = new Map<string, ServerCatalog>();

  constructor(private readonly cache?: CatalogCache) {
    super();
  }

  /** Loads the cached catalogs of the servers in `keep`; cache files of other servers are dropped. */
  async loadCache(keep: ReadonlySet<string>): Promise<void> {
    if (!this.cache) return;
    for (const catalog of this.cache.loadAll()) {
      if (keep.has(catalog.server)) this.servers.set(catalog.server, catalog);
      else void this.cache.remove(catalog.server);
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
    void this.cache?.save(catalog).catch(() => undefined);
    this.emit('change', catalog.server, catalog);
  }

  remove(server: string): void {
    if (!this.servers.delete(server)) return;
    void this.cache?.remove(server).catch(() => undefined);
    this.emit('change', server, undefined);
  }
}
