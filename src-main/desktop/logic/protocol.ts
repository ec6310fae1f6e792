// The app:// protocol: the window's files from dist/renderer, with a strict CSP, and nothing outside that
// folder (a request with `..` or an encoded slash cannot climb out).
import path from 'node:path';
import { CONTENT_SECURITY_POLICY, contentTypeOf } from '../../core/index.js';

/** The same policy as the window in web mode: scripts from the app alone, no eval, no plugins, never framed. */
export const APP_CSP = CONTENT_SECURITY_POLICY;

/** The file an app:// URL names under `root` (index.html for the root), or undefined when it would leave it. */
export function appFile(root: string, url: string): { file: string; type: string } | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return undefined;
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  return { file, type: contentTypeOf(file) };
}
