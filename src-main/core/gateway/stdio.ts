// The gateway over this process's stdin/stdout, for clients that only spawn processes.
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { Gateway } from './gateway.js';

export async function serveStdio(gateway: Gateway): Promise<{ closed: Promise<void> }> {
  const transport = new StdioServerTransport();
  const server = gateway.createSession();
  const closed = new Promise<void>((resolve) => {
    const previous = server.onclose;
    server.onclose = () => {
      previous?.();
      resolve();
    };
  });
  await server.connect(transport);
  process.stdin.once('end', () => void server.close());
  return { closed };
}
