// Every server's tools, prompts and resources in memory, kept in step with the cache on disk.
import { EventEmitter } from 'node:events';
import type { ServerCatalog, ToolDefinition } from '../../../src-shared/catalog.js';
import type { CatalogCache } from './cache.js';

/** How long after a start the cache files not sealed are saved again, sealed. */
const RESEAL_AFTER_MS = 3_000;

export class Catalog extends EventEmitter<{ change: [server: string, catalog: ServerCatalog | undefined] }> {
  private readonly servers = new Map<string, ServerCatalog>();
  private readonly writes = new Set<Promise<unknown>>();
  private resealTimer: NodeJS.Timeout | undefined;

  constructor(private readonly cache?: CatalogCache) {
    super();
  }

  /**
   * Loads the cached catalogs of the servers in `keep`; cache files of other servers are dropped. A file
   * whose hashes were not believed is saved again, sealed, once the start is over (unless a fresh listing
   * replaced it first), so the next start need not hash its tools.
   */
  async loadCache(keep: ReadonlySet<string>): Promise<void> {
    const cache = this.cache;
    if (!cache) return;
    const reseal: ServerCatalog[] = [];
    for (const catalog of cache.loadAll()) {
      if (!keep.has(catalog.server)) {
        this.track(cache.remove(catalog.server));
        continue;
      }
      this.servers.set(catalog.server, catalog);
      if (cache.unsealedOnDisk(catalog)) reseal.push(catalog);
    }
    if (!reseal.length) return;
    this.resealTimer = setTimeout(() => {
      for (const c of reseal) if (this.servers.get(c.server) === c) this.track(cache.save(c));
    }, RESEAL_AFTER_MS);
    this.resealTimer.unref();
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
    clearTimeout(this.resealTimer);
    while (this.writes.size) await Promise.all(this.writes);
  }

  private track(write: Promise<unknown> | undefined): void {
    if (!write) return;
    const settled = write.catch(() => undefined).finally(() => this.writes.delete(settled));
    this.writes.add(settled);
  }
}
