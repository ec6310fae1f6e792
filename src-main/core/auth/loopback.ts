// The redirect target of a sign-in (RFC 8252): a listener on 127.0.0.1, open only while one sign-in
// waits for the browser, closed after the answer or after five minutes. It takes one answer whose
// `state` matches the one Gatehouse sent; anything else is refused and the sign-in fails with why.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CALLBACK_PATH = '/callback';
const DEFAULT_WAIT_MS = 5 * 60_000;

export interface AuthorizationAnswer {
  code: string;
  /** RFC 9207: the issuer that sent the answer, when it says. */
  iss?: string;
}

export class SignInFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInFailed';
  }
}

export interface Loopback {
  port: number;
  redirectUrl: string;
  /** Settles with the first valid answer, or fails (refused, denied, timed out, closed). */
  answer: Promise<AuthorizationAnswer>;
  close(): Promise<void>;
}

/** Port 0 picks a free one; a taken port fails with what to do. */
export async function openLoopback(port: number, state: () => string | undefined, waitMs = DEFAULT_WAIT_MS): Promise<Loopback> {
  let settle!: { resolve: (a: AuthorizationAnswer) => void; reject: (e: Error) => void };
  const answer = new Promise<AuthorizationAnswer>((resolve, reject) => (settle = { resolve, reject }));
  answer.catch(() => undefined);
  let done = false;
  const finish = (result: AuthorizationAnswer | Error) => {
    if (done) return;
    done = true;
    if (result instanceof Error) settle.reject(result);
    else settle.resolve(result);
    void close();
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== CALLBACK_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const page = (status: number, title: string, text: string) =>
      res
        .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'" })
        .end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title><body style="font:16px system-ui;margin:3em"><h1>${title}</h1><p>${text}</p></body></html>`);
    const q = url.searchParams;
    const expected = state();
    if (!expected || q.get('state') !== expected) {
      // Not this sign-in's answer (a forged or stale redirect): refused, and this sign-in is abandoned.
      page(400, 'Sign-in refused', 'This answer does not belong to the sign-in Gatehouse started. Start the sign-in again.');
      finish(new SignInFailed('the answer from the sign-in page did not carry the state Gatehouse sent (a forged or stale redirect): start the sign-in again'));
      return;
    }
    const error = q.get('error');
    if (error) {
      const description = q.get('error_description');
      page(400, 'Sign-in failed', escapeHtml(description ?? error));
      finish(new SignInFailed(`the authorization server refused: ${error}${description ? ` (${description})` : ''}`));
      return;
    }
    const code = q.get('code');
    if (!code) {
      page(400, 'Sign-in failed', 'The answer carried no authorization code.');
      finish(new SignInFailed('the answer from the sign-in page carried no authorization code'));
      return;
    }
    page(200, 'Signed in', 'Gatehouse has what it needs. You can close this tab.');
    finish({ code, iss: q.get('iss') ?? undefined });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new SignInFailed(`port ${port} on 127.0.0.1 is in use, and the sign-in redirect must come back to it: close what uses it, or set another oauth.redirectPort`)
          : err,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const timer = setTimeout(() => finish(new SignInFailed(`no answer from the browser within ${Math.round(waitMs / 60_000)} minutes: start the sign-in again`)), waitMs);
  timer.unref();
  const actual = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  const close = () => {
    clearTimeout(timer);
    if (!done) finish(new SignInFailed('the sign-in was cancelled'));
    closing ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
    return closing;
  };
  return { port: actual, redirectUrl: `http://127.0.0.1:${actual}${CALLBACK_PATH}`, answer, close };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
