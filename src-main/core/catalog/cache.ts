// The persisted tool cache: one file per server under state/tool-cache, so a start-up can show and
// search the whole catalog without starting a single server.
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerCatalog, ToolDefinition } from '../../../src-shared/catalog.js';
import { writeFileAtomic } from '../state/index.js';

/** Pin hashes saved with the cache, so a start-up does not hash thousands of tools again. */
export interface ToolHashing {
  /** Which way of hashing the saved hashes came from: others are computed afresh. */
  scheme: number;
  hash(tool: ToolDefinition): string;
  prime(tool: ToolDefinition, hash: string): void;
  /**
   * Seals a file's saved hashes with its tools (undefined until the key is read). A file changed outside
   * Gatehouse (a poisoned description under an approved tool's hash) then has its hashes computed afresh,
   * and the changed tool is held back as changed.
   */
  seal?(): Sealer | undefined;
}

export interface Sealer {
  sealed(body: string): string;
  opened(text: string): { body: string; state: 'sealed' | 'unsealed' | 'changed' };
}

export class CatalogCache {
  /** Catalogs read from files whose hashes were not believed: their hashes are computed afresh. */
  private readonly unsealed = new WeakSet<ServerCatalog>();

  constructor(
    private readonly dir: string,
    private readonly hashing?: ToolHashing,
  ) {}

  private file(server: string): string {
    return path.join(this.dir, `${server}.json`);
  }

  /** Reads every cached catalog. Synchronous on purpose: it runs once at start-up, where it is fastest. */
  loadAll(): ServerCatalog[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const loaded: ServerCatalog[] = [];
    for (const n of names) {
      if (!n.endsWith('.json')) continue;
      try {
        const text = readFileSync(path.join(this.dir, n), 'utf8');
        const sealer = this.hashing?.seal?.();
        const opened = sealer?.opened(text);
        const c = JSON.parse(opened?.body ?? text) as ServerCatalog & { toolHashes?: unknown; hashScheme?: unknown };
        if (!c || typeof c.server !== 'string' || !Array.isArray(c.tools)) continue;
        const hashes = c.toolHashes;
        const scheme = c.hashScheme;
        delete c.toolHashes;
        delete c.hashScheme;
        // The saved hashes are Gatehouse's own only when sealed with their tools (when a seal is kept).
        const believed = !sealer || opened?.state === 'sealed';
        if (this.hashing && scheme === this.hashing.scheme && Array.isArray(hashes) && hashes.length === c.tools.length && believed) {
          c.tools.forEach((t, i) => this.hashing!.prime(t, String(hashes[i])));
        } else if (sealer) this.unsealed.add(c);
        loaded.push(c);
      } catch {
        // a damaged cache file only costs a refresh
      }
    }
    return loaded;
  }

  /** Whether this loaded catalog's file was not sealed (from before sealing, or changed outside Gatehouse). */
  unsealedOnDisk(catalog: ServerCatalog): boolean {
    return this.unsealed.has(catalog);
  }

  async save(catalog: ServerCatalog): Promise<void> {
    const toolHashes = this.hashing ? catalog.tools.map((t) => this.hashing!.hash(t)) : undefined;
    const body = JSON.stringify({ ...catalog, toolHashes, hashScheme: this.hashing?.scheme });
    const sealer = this.hashing?.seal?.();
    await writeFileAtomic(this.file(catalog.server), sealer ? sealer.sealed(body) : body);
  }

  async remove(server: string): Promise<void> {
    await fs.rm(this.file(server), { force: true });
  }
}
