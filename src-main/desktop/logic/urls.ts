// Which addresses the desktop app may open, load or navigate to. Plain functions (no Electron), so the
// rules are tested in Node.

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
export function isAllowedExternal(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.username || u.password) return false;
    if (u.protocol === 'https:') return true;
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}
