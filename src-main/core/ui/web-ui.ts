// The window in a browser, at /ui on the gateway's port. Entry is through a one-time login address
// that sets the session cookie and redirects, so the code never stays in the address bar.
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { checkLocalRequest } from '../host/index.js';
import { findPackageFile } from '../resources/index.js';
import type { UiSessions } from './sessions.js';
import { PAGE_HEADERS, sendUiFile } from './static-files.js';

export const SESSION_COOKIE = 'gatehouse_session';

export function sessionCookie(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * A cookie rides along with any request the browser makes to this port, even one a page of another
 * origin started (127.0.0.1:<other port> counts as the same site). So a request that carries only the
 * cookie must come from the window's own origin: Origin (always sent on POST) must be ours, and a
 * browser's own fetch metadata must say same-origin.
 */
export function fromOwnOrigin(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  const own = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  if (origin !== undefined ? !own.includes(origin) : req.method !== 'GET') return false;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin';
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...PAGE_HEADERS });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1><p>${text}</p></main></body></html>`);
}

export class WebUi {
  private readonly root = findPackageFile(path.join('dist', 'renderer', 'index.html'));

  constructor(
    private readonly sessions: UiSessions,
    private readonly port: () => number,
  ) {}

  /** A fresh one-time login address. */
  loginUrl(): string {
    return `http://127.0.0.1:${this.port()}/ui/login?code=${this.sessions.mintLogin()}`;
  }

  /** True when the request carries a live session and comes from the window's own origin. */
  signedIn(req: IncomingMessage): boolean {
    return this.sessions.check(sessionCookie(req)) && fromOwnOrigin(req, this.port());
  }

  async handle(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    const problem = checkLocalRequest(req, this.port);
    if (problem) return page(res, 403, 'Not allowed', problem);
    if (rest === 'login') return this.login(req, res);
    if (rest === 'logout' && req.method === 'POST') {
      if (fromOwnOrigin(req, this.port())) this.sessions.end(sessionCookie(req));
      res.writeHead(204, { 'set-cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
      return void res.end();
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return page(res, 405, 'Not allowed', 'The window is read with GET.');
    if (!this.root) return page(res, 503, 'The window is not built', 'Run <code>npm run build</code>, then reload.');
    await sendUiFile(res, path.dirname(this.root), rest);
  }

  private login(req: IncomingMessage, res: ServerResponse): void {
    const code = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('code') ?? '';
    const session = code ? this.sessions.redeem(code) : undefined;
    if (!session) {
      return page(res, 401, 'This sign-in link has expired', 'Each link works once, for ten minutes. Run <code>gatehouse ui</code> for a new one.');
    }
    res.writeHead(303, {
      location: '/ui/',
      'set-cookie': `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
    res.end();
  }
}
