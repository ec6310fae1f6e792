// A remote server's requests carry its headers from config.json (API keys among them) and its sign-in.
// fetch drops only Authorization when a redirect leads to another site: a header such as X-API-Key would
// follow it there. Redirects within the server's own origin (a path that gained a slash) are followed;
// one to another origin ends the request with the address, for the person to put into config.json if they
// trust it.
import type { FetchLike } from '@modelcontextprotocol/client';

/** How many redirects in a row are followed. */
const MOST_REDIRECTS = 5;

/** `fetch`, following only redirects that stay on the origin of the request. */
export function sameOriginRedirects(fetch: FetchLike): FetchLike {
  return async (input, init) => {
    let url = new URL(input instanceof Request ? input.url : String(input));
    let request: RequestInit = { ...init, redirect: 'manual' };
    for (let hop = 0; ; hop++) {
      const response = await fetch(url, request);
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (location === null) return response;
      await response.body?.cancel().catch(() => undefined);
      const next = new URL(location, url);
      if (next.origin !== url.origin) {
        throw new Error(
          `${url.origin} redirected to another site, ${next.origin}: Gatehouse does not send this server's headers or sign-in there. If that is the server's new address and you trust it, make it the server's url`,
        );
      }
      if (hop >= MOST_REDIRECTS) throw new Error(`${url.origin} redirected more than ${MOST_REDIRECTS} times in a row`);
      // As fetch does: 303, and 301 or 302 after a POST, go on as a GET without a body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && request.method === 'POST')) {
        request = { ...request, method: 'GET', body: undefined };
      }
      url = next;
    }
  };
}
