// What every HTTP face of Gatehouse checks and uses: loopback Host and Origin (against DNS rebinding),
// the bearer token, bounded bodies, JSON answers.
import type { IncomingMessage, ServerResponse } from 'node:http';

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

/** How much of a too-large body is read and dropped, so the client hears the 413 before the connection ends. */
const DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * The request body as text; undefined when it is larger than `maxBytes`. The rest of a too-large body is
 * read and dropped (up to a bound) rather than cut off, so the client gets the answer that says why.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      chunks = [];
      resolve(undefined);
      if (size > maxBytes + DRAIN_BYTES) req.destroy();
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

