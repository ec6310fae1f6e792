// The gateway over Streamable HTTP: loopback only, Host and Origin checked against DNS rebinding, and a
// bearer token required. One MCP session (and one Server) per client.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { Gateway } from './gateway.js';
import { tokenMatches } from './token.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Host must name loopback (with our port); Origin, when a browser sends one, must be loopback too. */
export function checkLocalRequest(req: IncomingMessage, port: () => number): string | undefined {
  const host = req.headers.host ?? '';
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  if (!m || !LOOPBACK_HOSTS.has(m[1].toLowerCase()) || (m[2] !== undefined && Number(m[2]) !== port())) {
    return `Host "${host}" is not allowed: connect to http://127.0.0.1:${port()}`;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).hostname;
    } catch {
      return `Origin "${origin}" is not allowed`;
    }
    if (!LOOPBACK_HOSTS.has(originHost) && !LOOPBACK_HOSTS.has(`[${originHost}]`)) return `Origin "${origin}" is not allowed: only pages served from this machine may call Gatehouse`;
  } else if (origin === 'null') {
    return 'Origin "null" is not allowed';
  }
  return undefined;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return m?.[1].trim();
}

export class McpHttpEndpoint {
  private readonly transports = new Map<string, NodeStreamableHTTPServerTransport>();

  constructor(
    private readonly gateway: Gateway,
    private readonly token: () => string,
    private readonly port: () => number,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const problem = checkLocalRequest(req, this.port);
    if (problem) return sendJson(res, 403, { error: 'forbidden', message: problem });
    if (!tokenMatches(bearerToken(req), this.token())) {
      return sendJson(
        res,
        401,
        {
          error: 'unauthorized',
          message: 'A bearer token is required: send "Authorization: Bearer <token>". `gatehouse serve` prints the token; GATEHOUSE_TOKEN sets it.',
        },
        { 'www-authenticate': 'Bearer realm="gatehouse"' },
      );
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const transport = this.transports.get(sessionId);
      if (!transport) {
        return sendJson(res, 404, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found: start a new session with initialize' } });
      }
      return transport.handleRequest(req, res);
    }
    if (req.method !== 'POST') {
      return sendJson(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'No session: send initialize first (POST)' } });
    }
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.transports.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) this.transports.delete(transport.sessionId);
    };
    await this.gateway.createSession().connect(transport);
    await transport.handleRequest(req, res);
  }

  async close(): Promise<void> {
    await Promise.all([...this.transports.values()].map((t) => t.close().catch(() => undefined)));
    this.transports.clear();
  }
}
