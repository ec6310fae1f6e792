// Which addresses the desktop app may open, load or navigate to. Plain functions (no Electron), so the
// rules are tested in Node.
import { isWebPage } from '../../../src-shared/web-page.js';

/** The window's own pages are served from this origin (a custom protocol, never file://). */
export const APP_ORIGIN = 'app://gatehouse';

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'app:' && u.host === 'gatehouse';
  } catch {
    return false;
  }
}

/** A page opened in the system browser (a sign-in, a docs link): https, or http to this machine only. */
export const isAllowedExternal = isWebPage;
