// `gatehouse tools …`: list, search and call tools across every server.
import type { CallToolResult } from '@modelcontextprotocol/client';
import { UpstreamError } from '../core/index.js';
import { openCore } from './open-core.js';
import { atLeast, parseJsonObject, type LogLevel } from './options.js';
import { CliError, EXIT, note, print, printJson, table } from './output.js';

function oneLine(text: string | undefined, max = 80): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export async function listTools(options: { server?: string; refresh?: boolean; json?: boolean; logLevel: LogLevel }): Promise<void> {
  const core = await openCore({ logLevel: options.logLevel });
  try {
    if (options.server && !core.upstreams.get(options.server)) throw new CliError(`no server named "${options.server}"`);
    const live = options.refresh || atLeast(options.logLevel, 'trace');
    const names = options.server ? [options.server] : undefined;
    const results = live ? await core.refresh(names) : (await core.catalogueNew(), undefined);
    for (const [name, result] of results ?? []) if (result instanceof Error) note(`${name}: ${result.message}`);
    if (options.server && results?.get(options.server) instanceof Error) {
      throw new CliError((results.get(options.server) as Error).message, EXIT.unavailable);
    }
    const rows = core.tools(options.server).map(({ server, tool }) => ({ id: `${server}__${tool.name}`, server, tool: tool.name, description: tool.description ?? '' }));
    if (options.json) printJson(rows);
    else print(rows.length ? table(rows.map((r) => ({ ...r, description: oneLine(r.description) })), ['id', 'description']) : 'No tools.');
  } finally {
    await core.close();
  }
}

export async function searchTools(query: string, options: { limit: number; json?: boolean }): Promise<void> {
  const core = await openCore();
  try {
    await core.catalogueNew();
    const hits = core.search(query, options.limit).map((h) => ({ id: h.id, score: h.score, description: h.tool.description ?? '' }));
    if (options.json) printJson(hits);
    else print(hits.length ? table(hits.map((h) => ({ ...h, description: oneLine(h.description, 70) })), ['id', 'score', 'description']) : `No tool matched "${query}".`);
  } finally {
    await core.close();
  }
}

export async function callTool(id: string, options: { args?: string; json?: boolean; logLevel: LogLevel }): Promise<number> {
  const args = options.args ? parseJsonObject(options.args, '--args') : {};
  const core = await openCore({ logLevel: options.logLevel });
  let result: CallToolResult;
  try {
    result = (await core.callTool(id, args)) as CallToolResult;
  } catch (err) {
    if (err instanceof UpstreamError) throw new CliError(err.message, EXIT.unavailable);
    throw err;
  } finally {
    await core.close();
  }
  if (options.json) printJson(result);
  else {
    for (const c of result.content ?? []) {
      if (c.type === 'text') print(c.text);
      else print(`[${c.type}${'mimeType' in c ? ` ${c.mimeType}` : ''}]`);
    }
  }
  return result.isError ? EXIT.toolError : EXIT.ok;
}
