// Which addresses Gatehouse opens in the person's browser. A server may name one (its sign-in page), and
// the platform's opener would as well launch a file, a network share or another app's link scheme.

/** https, or http on this machine, with no credentials in it. */
export function isWebPage(url: string | URL): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (u.protocol === 'https:') return true;
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}
