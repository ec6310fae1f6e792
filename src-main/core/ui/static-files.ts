// The built UI's files, served from one folder: nothing outside it, the right content types, and headers
// that keep the page from being framed or sniffed. Hashed assets are cached for good; index.html never.
import { promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The content type of a built UI file, by its extension. */
export function contentTypeOf(file: string): string {
  const ext = path.extname(file);
  return Object.hasOwn(TYPES, ext) ? TYPES[ext] : 'application/octet-stream';
}

/**
 * Scripts only from this origin, no eval, no plugins, never framed. Styles may be inline: the component
 * kit sets style attributes. Connections only back to Gatehouse.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const PAGE_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Sends `rest` (a path under the UI folder); a path without a file gets index.html (the app routes itself). */
export async function sendUiFile(res: ServerResponse, root: string, rest: string): Promise<void> {
  let relative: string;
  try {
    relative = decodeURIComponent(rest);
  } catch {
    relative = '';
  }
  let file = path.resolve(root, relative || 'index.html');
  if (file !== root && !file.startsWith(root + path.sep)) file = path.join(root, 'index.html');
  let body: Buffer;
  try {
    body = await fs.readFile(file);
  } catch {
    if (path.extname(file)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...PAGE_HEADERS });
      return void res.end('Not found');
    }
    file = path.join(root, 'index.html');
    body = await fs.readFile(file);
  }
  const hashed = /\/assets\//.test(file.split(path.sep).join('/'));
  res.writeHead(200, {
    'content-type': contentTypeOf(file),
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...PAGE_HEADERS,
  });
  res.end(body);
}
