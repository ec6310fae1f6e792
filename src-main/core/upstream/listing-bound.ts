// The MCP SDK reads a server's lists page by page and joins the pages before handing them over. Each page
// is held to the message size limit, but a hostile server can answer page after page until Gatehouse runs
// out of memory, and every other server goes down with it. The client's list requests are counted as their
// pages arrive, and a list longer than any real server's is refused there, with what was read let go.
// The limit is maxListedItems in config.json, 20,000 by default: eighteen times the largest of the 286 real
// servers collected (7,160 tools), which lists 1,083.
import type { Client } from '@modelcontextprotocol/client';

const LISTS = new Map([
  ['tools/list', { key: 'tools', noun: 'tools' }],
  ['prompts/list', { key: 'prompts', noun: 'prompts' }],
  ['resources/list', { key: 'resources', noun: 'resources' }],
  ['resources/templates/list', { key: 'resourceTemplates', noun: 'resource templates' }],
]);

type Request = (request: { method: string; params?: { cursor?: unknown } }, options?: unknown) => Promise<unknown>;

/** Counts every list `client` reads, page by page; past `most()` items the read fails with that said. */
export function boundListings(client: Client, most: () => number): void {
  const counted = new Map<string, number>();
  const request = (client.request as Request).bind(client);
  const counting = async (req: Parameters<Request>[0], options: unknown, list: { key: string; noun: string }) => {
    const result = await request(req, options);
    if (!result || typeof result !== 'object') return result;
    const items = Object.hasOwn(result, list.key) ? (result as Record<string, unknown>)[list.key] : undefined;
    // A list starts again with a request that has no cursor.
    const count = (req.params?.cursor === undefined ? 0 : (counted.get(req.method) ?? 0)) + (Array.isArray(items) ? items.length : 0);
    counted.set(req.method, count);
    const limit = most();
    if (count > limit) {
      counted.delete(req.method);
      throw new Error(
        `it lists more than ${limit.toLocaleString('en')} ${list.noun}, far more than any real server (the largest seen lists about 1,100 tools): Gatehouse stopped reading there. If it is meant to, raise maxListedItems in config.json`,
      );
    }
    return result;
  };
  // Calls and every other request go straight through.
  const bounded: Request = (req, options) => {
    const list = LISTS.get(req.method);
    return list ? counting(req, options, list) : request(req, options);
  };
  (client as unknown as { request: Request }).request = bounded;
}
