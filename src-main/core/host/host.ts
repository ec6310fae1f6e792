// The HTTP listener every face shares: 127.0.0.1 only, one port, routes by path prefix (`/mcp`, `/api`,
// `/ui`), the tokens, the admin API's local socket, and the instance file that tells the CLI where a
// running Gatehouse answers.
import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import path from 'node:path';
import { readJsonFile, writeFileAtomic, type HomePaths } from '../state/index.js';
import { listenAdminSocket, type AdminSocket } from './admin-socket.js';
import { sendJson } from './requests.js';
import { loadOrCreateToken } from './tokens.js';

/** Handles the requests under a route; `rest` is the path after the prefix and its slash ('' for the prefix itself). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, rest: string) => Promise<void>;

/** Another Gatehouse already serves this home: two would each hold their own view of trust and config. */
export class AlreadyRunning extends Error {
  constructor(
    readonly pid: number,
    readonly port: number,
    readonly stdio = false,
  ) {
    super(
      stdio
        ? `A client's \`gatehouse stdio\` serves this home while that client runs (pid ${pid}, http://127.0.0.1:${port}): \`gatehouse ui\` opens its window, and the CLI reaches it. To serve here instead, quit that client first; started again, its bridge relays to this Gatehouse`
        : `Gatehouse is already running for this home (pid ${pid}, http://127.0.0.1:${port}): use that one, or stop it first`,
    );
    this.name = 'AlreadyRunning';
  }
}

export class TokenFromEnvironment extends Error {
  constructor(variable: string) {
    super(`The token is set by the environment variable ${variable}: change it there and restart Gatehouse`);
    this.name = 'TokenFromEnvironment';
  }
}

export class PortInUse extends Error {
  constructor(port: number) {
    super(`port ${port} on 127.0.0.1 is in use: stop the other program or pass --port <n>`);
    this.name = 'PortInUse';
  }
}

/** Where a running Gatehouse answers, as the instance file says. */
export interface Instance {
  pid: number;
  port: number;
  /** The admin API's local socket (or pipe); absent while only the port is served. */
  admin?: string;
  /** A client's stdio bridge serving alone: it ends when that client quits, so no other client leans on it. */
  stdio?: boolean;
}

export class Host {
  private http: HttpServer | undefined;
  private readonly routes: { prefix: string; handler: RouteHandler; what: string }[] = [];
  private adminHandler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  private adminSocket: AdminSocket | undefined;

  constructor(
    private readonly paths: HomePaths,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Serves `prefix` (e.g. "/mcp") and everything under it. */
  route(prefix: string, what: string, handler: RouteHandler): void {
    this.routes.push({ prefix, handler, what });
  }

  /** Serves the admin API on the local socket too, when the host listens. */
  serveAdminLocally(handler: (req: IncomingMessage, res: ServerResponse) => void): void {
    this.adminHandler = handler;
  }

  /** Listens on 127.0.0.1 only. Port 0 picks a free one. Writes the instance file; refuses when another Gatehouse serves this home. */
  async listen(port: number, { stdio = false } = {}): Promise<number> {
    const other = await this.runningInstance();
    if (other) throw new AlreadyRunning(other.pid, other.port, other.stdio);
    const http = createServer((req, res) => this.dispatch(req, res));
    this.http = http;
    await new Promise<void>((resolve, reject) => {
      http.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUse(port) : err));
      http.listen(port, '127.0.0.1', () => resolve());
    });
    // Earlier versions kept an admin token here, readable by any tool that reads files.
    await fs.rm(path.join(this.paths.state, 'admin-token'), { force: true });
    try {
      if (this.adminHandler) this.adminSocket = await listenAdminSocket(this.paths.state, this.adminHandler);
    } catch (err) {
      this.http = undefined;
      http.close();
      throw err;
    }
    const instance: Instance = { pid: process.pid, port: this.port, admin: this.adminSocket?.address, ...(stdio && { stdio }) };
    await writeFileAtomic(this.paths.instance, JSON.stringify({ ...instance, startedAt: Date.now() }));
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

  /** A new gateway token, kept in state/; refused when GATEHOUSE_TOKEN sets it. */
  async rotateGatewayToken(): Promise<string> {
    if (this.env.GATEHOUSE_TOKEN) throw new TokenFromEnvironment('GATEHOUSE_TOKEN');
    await fs.rm(this.paths.token, { force: true });
    return loadOrCreateToken(this.paths.token, this.env, 'GATEHOUSE_TOKEN');
  }

  /**
   * A token for the admin API over HTTP, for scripts: only when the person sets GATEHOUSE_ADMIN_TOKEN. None is
   * ever generated, since a file holding it could be read by an agent's tool; the CLI uses the local socket.
   */
  adminToken(): string | undefined {
    return this.env.GATEHOUSE_ADMIN_TOKEN || undefined;
  }

  async close(): Promise<void> {
    const http = this.http;
    if (!http) return;
    await this.forgetInstance();
    await this.adminSocket?.close();
    this.adminSocket = undefined;
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  /** The Gatehouse the instance file names, when it is another process that is alive and listening. */
  private async runningInstance(): Promise<{ pid: number; port: number; stdio: boolean } | undefined> {
    const instance = await readJsonFile<{ pid?: unknown; port?: unknown; stdio?: unknown }>(this.paths.instance).catch(() => undefined);
    const { pid, port } = instance ?? {};
    if (typeof pid !== 'number' || typeof port !== 'number' || pid === process.pid) return undefined;
    try {
      process.kill(pid, 0);
    } catch {
      return undefined;
    }
    // A live pid could be another program that reused it: the port must answer too.
    const answers = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      const done = (yes: boolean) => {
        socket.destroy();
        resolve(yes);
      };
      socket.setTimeout(1000);
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
      socket.once('timeout', () => done(false));
    });
    return answers ? { pid, port, stdio: instance?.stdio === true } : undefined;
  }

  /** Removes the instance file, unless another Gatehouse has written its own there since. */
  private async forgetInstance(): Promise<void> {
    const instance = await readJsonFile<{ pid?: number }>(this.paths.instance).catch(() => undefined);
    if (instance?.pid === process.pid) await fs.rm(this.paths.instance, { force: true });
  }
}
