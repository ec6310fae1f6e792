// A vault server as Gatehouse lists it: three tools, served in-process and reached like any other server
// (so it is quarantined, pinned and approved like one). The tools hold no secret; the vault puts them on.
import type { Transport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { VERSION } from '../../../src-shared/version.js';
import type { VaultClient } from './client.js';

const text = (value: unknown, isError = false) => ({ content: [{ type: 'text' as const, text: typeof value === 'string' ? value : JSON.stringify(value) }], ...(isError ? { isError: true } : {}) });

export async function vaultTransport(client: VaultClient): Promise<Transport> {
  const [{ McpServer }, { InMemoryTransport }] = await Promise.all([import('@modelcontextprotocol/server'), import('@modelcontextprotocol/client')]);
  const server = new McpServer({ name: 'gatehouse-vault', version: VERSION }, { instructions: 'API requests made by a remote vault, which adds the credentials itself: list_routes shows which APIs it reaches.' });
  const ask = async (op: Parameters<VaultClient['call']>[0]) => {
    try {
      const answer = await client.call(op);
      return typeof answer.error === 'string' ? text(answer.error, true) : text(answer);
    } catch (err) {
      return text((err as Error).message, true);
    }
  };
  server.registerTool(
    'secure_request',
    {
      description: "Makes an HTTPS request through the vault, which adds the API's credentials. Only URLs of the vault's routes (list_routes) are allowed. Returns status, headers and body.",
      inputSchema: z.object({
        method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
        url: z.string().describe('The full https URL, within a route of the vault'),
        headers: z.record(z.string(), z.string()).optional().describe('Extra headers (never credentials: the vault adds those)'),
        body: z.string().optional(),
      }),
      annotations: { openWorldHint: true },
    },
    async (args) => ask({ op: 'request', ...args }),
  );
  server.registerTool(
    'list_routes',
    {
      description: "The APIs the vault reaches: each route's name, allowed endpoints, and the names (never the values) of the headers and secrets it adds.",
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true },
    },
    async () => ask({ op: 'routes' }),
  );
  server.registerTool(
    'get_route_docs',
    {
      description: "A route's description and where its API is documented (docs and OpenAPI URLs).",
      inputSchema: z.object({ route: z.string() }),
      annotations: { readOnlyHint: true },
    },
    async ({ route }) => ask({ op: 'docs', route }),
  );
  const [local, remote] = InMemoryTransport.createLinkedPair();
  await server.connect(remote as never);
  return local;
}
