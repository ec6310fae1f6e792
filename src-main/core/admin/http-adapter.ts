// The admin API over HTTP: POST /api/<method> with a JSON body, and GET /api/events for the event stream
// (SSE). Under /api on the gateway's port it takes the window's session cookie, or the token a person set
// as GATEHOUSE_ADMIN_TOKEN, with Host and Origin checked; on the local socket (the CLI's way in) reaching
// it is the proof. Nothing here decides anything: it parses, calls the service, and writes what comes back.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, HTTP_STATUS } from '../../../src-shared/api/index.js';
import { bearerToken, checkLocalRequest, readBody, sendJson, tokenMatches } from '../host/index.js';
import type { AdminService } from './service.js';

const MAX_BODY_BYTES = 1024 * 1024;
const UNAUTHORIZED =
  "The admin API on this port takes the window's sign-in (`gatehouse ui`), or a token the person set as GATEHOUSE_ADMIN_TOKEN when Gatehouse started: \"Authorization: Bearer <token>\". The gatehouse command reaches it through its local socket.";

function sendError(res: ServerResponse, err: ApiError): void {
  sendJson(res, HTTP_STATUS[err.code], err.toJSON());
}

export class AdminHttpAdapter {
  constructor(
    private readonly service: AdminService,
    /** GATEHOUSE_ADMIN_TOKEN, when the person set one; otherwise no bearer token is taken on the port. */
    private readonly token: () => string | undefined,
    private readonly port: () => number,
    /** The window in a browser: a live session cookie from the window's own origin. */
    private readonly signedIn: (req: IncomingMessage) => boolean = () => false,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const problem = checkLocalRequest(req, this.port);
    if (problem) return sendError(res, new ApiError('forbidden', problem));
    const presented = bearerToken(req);
    const window = presented === undefined && this.signedIn(req);
    const token = this.token();
    if (presented === undefined ? !window : token === undefined || !tokenMatches(presented, token)) {
      return sendError(res, new ApiError('unauthorized', UNAUTHORIZED));
    }
    return this.serve(req, res, method, window ? 'person:ui' : 'person:cli');
  }

  /** A request on the local socket: only a process of this user can open it. */
  handleLocal(req: IncomingMessage, res: ServerResponse): void {
    const method = /^\/api\/([^/?]+)/.exec(req.url ?? '')?.[1];
    if (method === undefined) return sendError(res, new ApiError('not_found', 'The local socket serves the admin API only: POST /api/<method>, GET /api/events'));
    this.serve(req, res, method, 'person:cli').catch(() => {
      if (!res.headersSent) sendError(res, new ApiError('internal', 'internal error'));
      else res.end();
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse, method: string, actor: 'person:ui' | 'person:cli'): Promise<void> {
    if (method === 'events') {
      if (req.method !== 'GET') return sendError(res, new ApiError('invalid_input', 'Subscribe to events with GET /api/events'));
      return this.stream(req, res);
    }
    if (req.method !== 'POST') return sendError(res, new ApiError('invalid_input', `Call methods with POST /api/${method} and a JSON body`));
    let input: unknown;
    try {
      input = await readJson(req);
    } catch (err) {
      return sendError(res, err as ApiError);
    }
    try {
      sendJson(res, 200, await this.service.call(method, input, actor));
    } catch (err) {
      sendError(res, err instanceof ApiError ? err : new ApiError('internal', 'internal error'));
    }
  }

  private stream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const ping = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    ping.unref();
    const unsubscribe = this.service.subscribe({
      deliver: (event) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
      onDrain: (drain) => res.once('drain', drain),
      close: () => {
        clearInterval(ping);
        res.end();
      },
    });
    req.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req, MAX_BODY_BYTES);
  if (text === undefined) throw new ApiError('invalid_input', 'The request body is larger than 1 MB');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('invalid_input', 'The request body is not JSON');
  }
}
