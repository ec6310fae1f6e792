// The remote side (`gatehouse vault serve`): holds the secrets, answers authorized clients over the
// channel, and makes their HTTPS requests with the route's headers put on — only to URLs a route allows,
// redirects included, at most so many a minute per client, scrubbing the secrets out of what comes back,
// and keeping an audit log. A failing request or a misbehaving client never stops it serving the others.
import { appendFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelError, VaultHandshakes, type Session } from './channel.js';
import type { VaultConfig, VaultRoute } from './config.js';
import type { KeyPairs } from './keys.js';
import { allows, headersFor, placeholdersIn, routeFor, scrub } from './routes.js';

const MAX_BODY = 1024 * 1024;
const MAX_REDIRECTS = 5;
/** Headers a caller may not set: the route's own, and what would change the connection. */
const DROPPED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'cookie', 'proxy-authorization']);

export type VaultOp =
  | { op: 'request'; method?: string; url: string; headers?: Record<string, string>; body?: string }
  | { op: 'routes' }
  | { op: 'docs'; route: string };

export interface VaultServerOptions {
  config: () => VaultConfig;
  keys: KeyPairs;
  /** A secret by name from the vault's keychain. */
  keychain: (name: string) => Promise<string | undefined>;
  env: NodeJS.ProcessEnv;
  auditFile?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

export class VaultServer {
  private http: Server | undefined;
  private readonly handshakes: VaultHandshakes;
  private readonly sessions = new Map<string, { session: Session; client: string }>();
  private readonly calls = new Map<string, number[]>();

  constructor(private readonly o: VaultServerOptions) {
    this.handshakes = new VaultHandshakes(o.keys, (client) => Object.entries(o.config().clients).find(([, k]) => k.sign === client.sign && k.agree === client.agree)?.[0], o.now ? { now: o.now } : undefined);
  }

  async listen(): Promise<{ url: string; port: number }> {
    const { host, port } = this.o.config();
    const http = (this.http = createServer((req, res) => void this.handle(req, res)));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, host, () => resolve());
    });
    const actual = (http.address() as AddressInfo).port;
    return { url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`, port: actual };
  }

  async close(): Promise<void> {
    const http = this.http;
    if (!http) return;
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    try {
      if (req.method !== 'POST') return answer(405, { error: 'method', message: 'POST only' });
      const body = await readJson(req);
      switch (req.url) {
        case '/v1/hello':
          return answer(200, this.handshakes.hello(body as never));
        case '/v1/finish': {
          const { session, client } = this.handshakes.finish(body as never);
          this.sessions.set(session.id, { session, client });
          for (const [id, s] of this.sessions) if (s.session.expired) this.sessions.delete(id);
          await this.audit({ client, op: 'session', outcome: 'opened' });
          return answer(200, { ok: true });
        }
        case '/v1/call': {
          const record = body as { session?: string };
          const open = typeof record?.session === 'string' ? this.sessions.get(record.session) : undefined;
          if (!open) throw new ChannelError('unknown_session', 'no such session: handshake again');
          let plain: Buffer;
          try {
            plain = open.session.open(record as never);
          } catch (err) {
            if (err instanceof ChannelError && err.code === 'session_expired') this.sessions.delete(open.session.id);
            throw err;
          }
          const result = await this.run(open.client, JSON.parse(plain.toString('utf8')) as VaultOp);
          return answer(200, open.session.seal(JSON.stringify(result)));
        }
        default:
          return answer(404, { error: 'not_found', message: 'the vault answers /v1/hello, /v1/finish and /v1/call' });
      }
    } catch (err) {
      if (err instanceof ChannelError) return answer(err.code === 'unknown_client' ? 403 : 401, { error: err.code, message: err.message });
      return answer(400, { error: 'bad_request', message: (err as Error).message });
    }
  }

  /** One operation for a client; its failures are answers (sealed), not faults of the vault. */
  private async run(client: string, op: VaultOp): Promise<unknown> {
    const routes = this.o.config().routes;
    if (op?.op === 'routes') {
      return { routes: routes.map((r) => ({ name: r.name, description: r.description, allowedEndpoints: r.allowedEndpoints, headers: Object.keys(r.headers), placeholders: placeholdersIn(r) })) };
    }
    if (op?.op === 'docs') {
      const route = routes.find((r) => r.name === op.route);
      if (!route) return { error: `no route "${op.route}": list_routes shows them` };
      return { name: route.name, description: route.description, docsUrl: route.docsUrl, openApiUrl: route.openApiUrl, allowedEndpoints: route.allowedEndpoints };
    }
    if (op?.op !== 'request' || typeof op.url !== 'string') return { error: 'an operation is request, routes or docs' };
    const limit = this.o.config().rateLimitPerMinute;
    const now = this.o.now?.() ?? Date.now();
    const recent = (this.calls.get(client) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= limit) {
      await this.audit({ client, op: 'request', url: shortUrl(op.url), outcome: 'rate-limited' });
      return { error: `rate limit: at most ${limit} requests a minute for this client; try again shortly` };
    }
    this.calls.set(client, [...recent, now]);
    const route = routeFor(routes, op.url);
    if (!route) {
      await this.audit({ client, op: 'request', url: shortUrl(op.url), outcome: 'refused: outside every route' });
      return { error: `${shortUrl(op.url)} is outside every route's allowed endpoints: list_routes shows what this vault reaches` };
    }
    try {
      const result = await this.request(route, op);
      await this.audit({ client, op: 'request', route: route.name, method: op.method ?? 'GET', url: shortUrl(op.url), status: result.status, outcome: 'done' });
      return result;
    } catch (err) {
      const message = (err as Error).message;
      await this.audit({ client, op: 'request', route: route.name, url: shortUrl(op.url), outcome: `failed: ${message}` });
      return { error: message };
    }
  }

  private async request(route: VaultRoute, op: Extract<VaultOp, { op: 'request' }>): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const { headers: injected, values } = await headersFor(route, (name) => this.secret(route, name));
    const own = new Set(Object.keys(injected).map((h) => h.toLowerCase()));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(op.headers ?? {})) if (!DROPPED.has(k.toLowerCase()) && !own.has(k.toLowerCase())) headers[k] = String(v);
    Object.assign(headers, injected);
    const method = (op.method ?? 'GET').toUpperCase();
    let url = op.url;
    const doFetch = this.o.fetch ?? fetch;
    for (let hop = 0; ; hop++) {
      const res = await doFetch(url, { method, headers, body: op.body !== undefined && method !== 'GET' && method !== 'HEAD' ? op.body : undefined, redirect: 'manual' });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        const next = new URL(location, url).href;
        if (!allows(route, next)) throw new Error(`the API redirected to ${shortUrl(next)}, outside route "${route.name}": not followed`);
        if (hop >= MAX_REDIRECTS) throw new Error('too many redirects');
        url = next;
        continue;
      }
      const text = Buffer.from(await res.arrayBuffer()).subarray(0, MAX_BODY).toString('utf8');
      const kept: Record<string, string> = {};
      for (const [k, v] of res.headers) if (!['set-cookie', 'authorization'].includes(k)) kept[k] = scrub(v, values);
      return { status: res.status, headers: kept, body: scrub(text, values) };
    }
  }

  private async secret(route: VaultRoute, name: string): Promise<string | undefined> {
    const source = Object.hasOwn(route.secrets, name) ? route.secrets[name] : { env: name };
    if ('value' in source) return source.value;
    if ('keychain' in source) return this.o.keychain(source.keychain);
    return this.o.env[source.env];
  }

  private async audit(entry: Record<string, unknown>): Promise<void> {
    if (!this.o.auditFile) return;
    await appendFile(this.o.auditFile, `${JSON.stringify({ at: new Date(this.o.now?.() ?? Date.now()).toISOString(), ...entry })}\n`, { mode: 0o600 }).catch(() => undefined);
  }
}

/** A URL for logs and errors: no query (it may carry a token), no credentials. */
function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.slice(0, 100);
  }
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY * 2) req.destroy(new Error('request too large'));
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new Error('the body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}
