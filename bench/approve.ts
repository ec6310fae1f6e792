// Benchmarks measure approved servers: a person's approval of every configured server, given through
// the admin API of an in-process core before the benchmark starts Gatehouse.
import { Gatehouse } from '../src-main/core/index.js';

export async function approveAll(home: string, options: { resaveCache?: boolean } = {}): Promise<void> {
  const core = await Gatehouse.open({ home });
  try {
    // A cache the benchmark wrote itself is saved again the way Gatehouse saves a fresh listing.
    if (options.resaveCache) for (const catalog of core.catalog.all()) core.catalog.set(catalog);
    for (const name of Object.keys(core.config.config.mcpServers)) await core.admin.call('servers.approve', { name });
  } finally {
    await core.close();
  }
}
