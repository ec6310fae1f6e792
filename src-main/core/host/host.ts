// The HTTP listener every face shares: 127.0.0.1 only, one port, routes by path prefix (`/mcp`, `/api`,
// later `/ui`), the tokens, and the instance file that tells the CLI where a running Gatehouse answers.
import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readJsonFile, writeFileAtomic, type HomePaths } from '../state/index.js';
import { sendJson } from './requests.js';
import { loadOrCreateToken } from './tokens.js';

/** Handles the requests under a route; `rest` is the path after the prefix and its slash ('' for the prefix itself). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, rest: string) => Promise<void>;

export class PortInUse extends Error {
  constructor(port: number) {
    super(`port ${port} on 127.0.0.1 is in use: stop the other program or pass --port <n>`);
    this.name = 'PortInUse';
  }
}

export class Host {
  private http: HttpServer | undefined;
  private readonly routes: { prefix: string; handler: RouteHandler; what: string }[] = [];

  constructor(
    private readonly paths: HomePaths,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Serves `prefix` (e.g. "/mcp") and everything under it. */
  route(prefix: string, what: string, handler: RouteHandler): void {
    this.routes.push({ prefix, handler, what });
  }

  /** Listens on 127.0.0.1 only. Port 0 picks a free one. Writes the instance file. */
  async listen(port: number): Promise<number> {
    const http = createServer((req, res) => this.dispatch(req, res));
    this.http = http;
    await new Promise<void>((resolve, reject) => {
      http.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUse(port) : err));
      http.listen(port, '127.0.0.1', () => resolve());
    });
    await writeFileAtomic(this.paths.instance, JSON.stringify({ pid: process.pid, port: this.port, startedAt: Date.now() }));
    return this.port;
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const route = this.routes.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
    if (!route) {
      const known = this.routes.map((r) => `${r.what} ${r.prefix}`).join(', ');
      return sendJson(res, 404, { error: 'not_found', message: `Nothing at ${path}: ${known}` });
    }
    route.handler(req, res, path.slice(route.prefix.length + 1)).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'internal error' });
      else res.end();
    });
  }

  get listening(): boolean {
    return this.http !== undefined;
  }

  get port(): number {
    return (this.http?.address() as AddressInfo | null)?.port ?? 0;
  }

  /** The URL of a route while listening. */
  url(prefix: string): string | undefined {
    return this.http ? `http://127.0.0.1:${this.port}${prefix}` : undefined;
  }

  /** The bearer token AI clients present: GATEHOUSE_TOKEN, else generated once and kept in state/. */
  gatewayToken(): Promise<string> {
    return loadOrCreateToken(this.paths.token, this.env, 'GATEHOUSE_TOKEN');
  }

  /** The admin API's own token (a client that may call tools must not be able to change Gatehouse). */
  adminToken(): Promise<string> {
    return loadOrCreateToken(this.paths.adminToken, this.env, 'GATEHOUSE_ADMIN_TOKEN');
  }

  async close(): Promise<void> {
    const http = this.http;
    if (!http) return;
    await this.forgetInstance();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  /** Removes the instance file, unless another Gatehouse has written its own there since. */
  private async forgetInstance(): Promise<void> {
    const instance = await readJsonFile<{ pid?: number }>(this.paths.instance).catch(() => undefined);
    if (instance?.pid === process.pid) await fs.rm(this.paths.instance, { force: true });
  }
}
