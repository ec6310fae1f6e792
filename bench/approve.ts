// Benchmarks measure approved servers: a person's approval of every configured server, given through
// the admin API of an in-process core before the benchmark starts Gatehouse.
import { Gatehouse } from '../src-main/core/index.js';

export async function approveAll(home: string): Promise<void> {
  const core = await Gatehouse.open({ home });
  try {
    for (const name of Object.keys(core.config().mcpServers)) await core.admin.call('servers.approve', { name });
  } finally {
    await core.close();
  }
}

/** Every server's tools in full, listed by the servers themselves (through a person's review). */
export async function listAll(core: Gatehouse): Promise<Map<string, { name: string; description?: string; inputSchema: unknown; annotations?: unknown }[]>> {
  const listed = new Map<string, { name: string; description?: string; inputSchema: unknown; annotations?: unknown }[]>();
  for (const name of Object.keys(core.config().mcpServers)) {
    const { review } = (await core.admin.call('servers.review', { name, refresh: true })) as {
      review: { error?: string; tools: { definition: { name: string; description?: string; inputSchema: unknown; annotations?: unknown } }[] };
    };
    if (review.error) throw new Error(`${name}: ${review.error}`);
    listed.set(name, review.tools.map((t) => t.definition));
  }
  return listed;
}
