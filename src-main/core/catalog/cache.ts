// The persisted tool cache: one file per server under state/tool-cache, so a start-up can show and
// search the whole catalog without starting a single server.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ServerCatalog } from '../../../src-shared/catalog.js';
import { writeFileAtomic } from '../state/files.js';

export class CatalogCache {
  constructor(private readonly dir: string) {}

  private file(server: string): string {
    return path.join(this.dir, `${server}.json`);
  }

  async loadAll(): Promise<ServerCatalog[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const loaded = await Promise.all(
      names
        .filter((n) => n.endsWith('.json'))
        .map(async (n) => {
          try {
            return JSON.parse(await fs.readFile(path.join(this.dir, n), 'utf8')) as ServerCatalog;
          } catch {
            return undefined; // a damaged cache file only costs a refresh
          }
        }),
    );
    return loaded.filter((c): c is ServerCatalog => !!c && typeof c.server === 'string' && Array.isArray(c.tools));
  }

  async save(catalog: ServerCatalog): Promise<void> {
    await writeFileAtomic(this.file(catalog.server), JSON.stringify(catalog));
  }

  async remove(server: string): Promise<void> {
    await fs.rm(this.file(server), { force: true });
  }
}
