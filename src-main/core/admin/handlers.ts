// What each admin method does, in terms of the core.
import { randomUUID } from 'node:crypto';
import type { ApiEvent, MethodName, MethodOutput, ParsedInput } from '../../../src-shared/api/index.js';
import { ApiError } from '../../../src-shared/api/index.js';
import { serverKind, type ServerConfig } from '../../../src-shared/config/schema.js';
import type { ToolDefinition } from '../../../src-shared/catalog.js';
import { toolId } from '../../../src-shared/ids.js';
import { VERSION } from '../../../src-shared/version.js';
import type { Gatehouse } from '../gatehouse.js';
import { parameterSummary, shortDescription } from '../gateway/summarize.js';

export type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> };

export function createHandlers(core: Gatehouse, publish: (event: ApiEvent) => void): Handlers {
  const serverInfo = (name: string) => {
    const config = core.config.config.mcpServers[name];
    const status = core.upstreams.get(name)?.status();
    if (!config || !status) throw new ApiError('not_found', `No server named "${name}". \`servers.list\` shows the configured ones.`);
    return {
      ...status,
      target: target(config),
      description: config.description,
      enabled: config.enabled !== false,
      trust: core.trust.serverTrust(name),
      attention: core.trust.attention(name, core.catalog.get(name)),
    };
  };
  const summary = (server: string, tool: ToolDefinition) => ({
    id: toolId(server, tool.name),
    server,
    name: tool.name,
    title: tool.title,
    description: tool.description,
  });

  return {
    'status.get': async () => ({
      version: VERSION,
      pid: process.pid,
      gateway: { url: core.gatewayUrl, mode: core.config.config.mode },
      configPath: core.paths.config,
      servers: core.statuses().map((status) => ({ ...status, trust: core.trust.serverTrust(status.name) })),
    }),

    'servers.list': async () => ({ servers: core.upstreams.names().map(serverInfo) }),

    'servers.get': async ({ name }) => {
      const server = serverInfo(name);
      return {
        server,
        config: core.config.config.mcpServers[name],
        tools: (core.catalog.get(name)?.tools ?? []).map((t) => summary(name, t)),
      };
    },

    'servers.add': async ({ name, config }) => {
      await core.addServer(name, config as ServerConfig);
      return { server: serverInfo(name) };
    },

    'servers.update': async ({ name, config }) => {
      await core.updateServer(name, config as ServerConfig);
      return { server: serverInfo(name) };
    },

    'servers.remove': async ({ name }) => {
      await core.removeServer(name);
      return { removed: name };
    },

    'servers.enable': async ({ name }) => {
      await core.setServerEnabled(name, true);
      return { server: serverInfo(name) };
    },

    'servers.disable': async ({ name }) => {
      await core.setServerEnabled(name, false);
      return { server: serverInfo(name) };
    },

    'servers.restart': async ({ name }) => {
      await core.restartServer(name);
      return { server: serverInfo(name) };
    },

    'servers.logs': async ({ name, limit }) => {
      serverInfo(name);
      return { lines: core.upstreams.log(name)?.tail(limit) ?? [] };
    },

    'servers.review': async ({ name, refresh }) => {
      serverInfo(name);
      return { review: await core.reviewServer(name, refresh) };
    },

    'servers.approve': async ({ name, tools }) => {
      serverInfo(name);
      await core.approve(name, tools);
      return { server: serverInfo(name) };
    },

    'servers.block': async ({ name, tools }) => {
      serverInfo(name);
      await core.block(name, tools);
      return { server: serverInfo(name) };
    },

    'policy.get': async () => ({ strict: core.trust.strict, rules: core.trust.rules() }),

    'policy.set': async ({ server, tool, rule }) => {
      serverInfo(server);
      await core.setRule(server, tool, rule === 'default' ? undefined : rule);
      return { server, tool, rule };
    },

    'policy.strict': async ({ strict }) => {
      await core.setStrict(strict);
      return { strict };
    },

    'approvals.list': async () => ({ requests: core.approvals.list() }),

    'approvals.answer': async ({ id, allow }) => {
      if (!core.approvals.answer(id, allow)) throw new ApiError('not_found', `No call "${id}" is waiting: it was answered, ran out of time or was withdrawn. \`approvals.list\` shows the waiting ones.`);
      return { id, allowed: allow };
    },

    'tools.list': async ({ server }) => {
      if (server) serverInfo(server);
      await core.catalogueNew();
      return { tools: core.tools(server).map(({ server: s, tool }) => summary(s, tool)) };
    },

    'tools.get': async ({ id }) => {
      const found = core.findTool(id);
      if (!found) throw new ApiError('not_found', `No tool "${id}". \`tools.search\` finds tools by what they do.`);
      const { server, tool } = found;
      return {
        tool: { ...summary(server, tool), inputSchema: tool.inputSchema, outputSchema: tool.outputSchema, annotations: tool.annotations },
      };
    },

    'tools.search': async ({ query, limit }) => {
      await core.catalogueNew();
      return {
        results: core.search(query, limit).map((h) => ({
          id: h.id,
          server: h.server,
          name: h.tool.name,
          description: shortDescription(h.tool.description ?? h.tool.title),
          params: parameterSummary(h.tool),
          score: h.score,
        })),
      };
    },

    'tools.call': async ({ id, arguments: args }) => {
      const result = await core.callTool(id, args);
      const structured = result.structuredContent as Record<string, unknown> | undefined;
      return { result: { content: result.content ?? [], structuredContent: structured, isError: result.isError } };
    },

    'catalog.refresh': async ({ servers }) => {
      for (const name of servers ?? []) serverInfo(name);
      const names = servers ?? core.upstreams.names().filter((n) => core.config.config.mcpServers[n]?.enabled !== false);
      const id = randomUUID();
      let done = 0;
      publish({ type: 'progress', payload: { operation: 'catalog.refresh', id, done, total: names.length } });
      const results = await Promise.all(
        names.map(async (name) => {
          const outcome = (await core.refresh([name])).get(name);
          done++;
          publish({ type: 'progress', payload: { operation: 'catalog.refresh', id, done, total: names.length, message: name } });
          if (!outcome) return { server: name, ok: false, error: core.unavailableReason(name) ?? 'disabled' };
          return outcome instanceof Error ? { server: name, ok: false, error: outcome.message } : { server: name, ok: true, toolCount: outcome.tools.length };
        }),
      );
      return { results };
    },

    'config.get': async () => ({ path: core.paths.config, config: core.config.config as Record<string, unknown> }),

    'secrets.list': async () => ({ store: core.secrets.description, secrets: await core.listSecrets() }),

    'secrets.set': async ({ name, value }) => {
      await core.setSecret(name, value);
      return { name };
    },

    'secrets.delete': async ({ name }) => ({ name, deleted: await core.deleteSecret(name) }),

    'secrets.reveal': async ({ name }) => {
      const value = await core.revealSecret(name);
      if (value === undefined) throw new ApiError('not_found', `No secret named "${name}". \`secrets.list\` shows the names.`);
      return { name, value };
    },

    'gateway.connection': async () => ({ url: core.gatewayUrl, token: await core.gatewayToken() }),
  };
}

function target(server: ServerConfig): string {
  return serverKind(server) === 'stdio' ? [server.command, ...(server.args ?? [])].join(' ') : (server.url ?? '');
}
