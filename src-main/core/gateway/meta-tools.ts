// The tools an agent sees in search mode: find a tool, read its schema, call it, page a long result.
import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { toolId } from '../../../src-shared/ids.js';
import { lookupTool, text } from '../calls/index.js';
import type { VisibleSet } from '../visibility/index.js';
import { parameterSummary, shortDescription } from './summarize.js';

export const META_TOOLS: Tool[] = [
  {
    name: 'search_tools',
    description:
      'Search every tool of every connected MCP server, by meaning and by keywords. Search once per step of your task, describing what the tool should do ("geocode an address", "write text to a file"), not the whole task; returns tool ids with a short description and parameters. Then call_tool with the id (describe_tool shows the full schema).',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'What the tool should do, in a few words: e.g. "read a file", "create a github issue", "route between two places"' },
        limit: { type: 'integer', minimum: 1, maximum: 50, description: 'Most results to return (default 10)' },
      },
      required: ['query'],
    },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'describe_tool',
    description: 'Full input schema and annotations of one tool, by the id search_tools returned.',
    inputSchema: {
      type: 'object',
      properties: { id: { type: 'string', description: 'Tool id, "<server>__<tool>"' } },
      required: ['id'],
    },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'call_tool',
    description: 'Call a tool by id with its arguments (an object matching the tool\'s input schema).',
    inputSchema: {
      type: 'object',
      properties: {
        id: { type: 'string', description: 'Tool id, "<server>__<tool>"' },
        arguments: { type: 'object', description: "The tool's arguments" },
      },
      required: ['id'],
    },
  },
  {
    name: 'read_result',
    description: 'Read the next part of a tool result that was cut because it was long.',
    inputSchema: {
      type: 'object',
      properties: {
        handle: { type: 'string', description: 'The handle given at the end of the cut result' },
        offset: { type: 'integer', minimum: 0, description: 'Character offset to start from' },
      },
      required: ['handle'],
    },
    annotations: { readOnlyHint: true },
  },
];

export async function searchTools(core: VisibleSet, args: Record<string, unknown>): Promise<CallToolResult> {
  const query = typeof args.query === 'string' ? args.query : '';
  const limit = clampLimit(args.limit);
  const hits = query.trim() ? await core.search(query, limit) : [];
  if (hits.length === 0) {
    const servers = core
      .servers()
      .map((s) => ({ server: s, tools: core.usableTools(s).length }));
    return text(
      JSON.stringify({
        results: [],
        hint: query.trim()
          ? 'No tool matched. Try other words for the task, or one of these servers by name.'
          : 'Give a query describing the task, e.g. "list files in a folder".',
        servers,
      }),
    );
  }
  return text(
    JSON.stringify({
      results: hits.map((h) => ({
        id: h.id,
        description: shortDescription(h.tool.description ?? h.tool.title),
        params: parameterSummary(h.tool),
        score: h.score,
      })),
    }),
  );
}

export function describeTool(core: VisibleSet, args: Record<string, unknown>): CallToolResult {
  const id = typeof args.id === 'string' ? args.id : typeof args.name === 'string' ? args.name : '';
  const found = lookupTool(core, id);
  if (!found.ok) return text(found.error, true);
  const { server, tool } = found;
  return text(
    JSON.stringify({
      id: toolId(server, tool.name),
      server,
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
      annotations: tool.annotations,
    }),
  );
}

function clampLimit(value: unknown): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : 10;
  return Math.max(1, Math.min(50, n));
}
