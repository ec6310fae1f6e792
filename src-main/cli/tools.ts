// `gatehouse tools …`: list, search and call tools across every server.
import { withApi, type ConnectOptions } from './api.js';
import { atLeast, parseJsonObject, type LogLevel } from './options.js';
import { CliError, EXIT, note, print, printJson, table } from './output.js';

function oneLine(text: string | undefined, max = 80): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

type Common = ConnectOptions & { json?: boolean; logLevel?: LogLevel };

/** Frames can only be traced where the servers run: in this process. */
const tracing = (options: Common) => ({ ...options, local: options.local || atLeast(options.logLevel ?? 'warn', 'trace') });

export async function listTools(options: Common & { server?: string; refresh?: boolean }): Promise<void> {
  const live = options.refresh || atLeast(options.logLevel ?? 'warn', 'trace');
  await withApi(tracing(options), async (api) => {
    if (live) {
      const { results } = await api.call('catalog.refresh', { servers: options.server ? [options.server] : undefined });
      for (const r of results) if (!r.ok) note(`${r.server}: ${r.error}`);
      const failed = results.find((r) => r.server === options.server && !r.ok);
      if (failed) throw new CliError(failed.error ?? 'failed', EXIT.unavailable);
    }
    const { tools } = await api.call('tools.list', { server: options.server });
    if (options.json) return printJson(tools.map((t) => ({ ...t, tool: t.name })));
    print(tools.length ? table(tools.map((t) => ({ id: t.id, description: oneLine(t.description) })), ['id', 'description']) : 'No tools.');
  });
}

export async function searchTools(query: string, options: Common & { limit: number }): Promise<void> {
  await withApi(options, async (api) => {
    const { results } = await api.call('tools.search', { query, limit: options.limit });
    if (options.json) return printJson(results);
    print(results.length ? table(results.map((h) => ({ ...h, description: oneLine(h.description, 70) })), ['id', 'score', 'description']) : `No tool matched "${query}".`);
  });
}

export async function callTool(id: string, given: string | undefined, options: Common & { args?: string }): Promise<number> {
  if (given !== undefined && options.args !== undefined) throw new CliError('give the arguments once: after the tool id or with --args, not both');
  const args = given !== undefined ? parseJsonObject(given, `the JSON after "${id}"`) : options.args !== undefined ? parseJsonObject(options.args, '--args') : {};
  return withApi(tracing(options), async (api) => {
    const { result } = await api.call('tools.call', { id, arguments: args });
    if (options.json) printJson(result);
    else {
      for (const c of result.content) {
        if (c.type === 'text') print(String(c.text));
        else print(`[${c.type}${c.mimeType ? ` ${String(c.mimeType)}` : ''}]`);
      }
    }
    return result.isError ? EXIT.toolError : EXIT.ok;
  });
}

export async function gatewayConnection(options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const c = await api.call('gateway.connection', {});
    if (options.json) return printJson(c);
    print(`Endpoint: ${c.url ?? '(not running: start it with `gatehouse serve`)'}\nBearer token: ${c.token}`);
  });
}
