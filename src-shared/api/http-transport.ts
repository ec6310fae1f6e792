// The admin API over HTTP: POST /api/<method> with a JSON body; events from GET /api/events (SSE).
// Uses only fetch and web streams, so the same code runs in Node (CLI) and the browser (UI).
import type { ApiEvent } from './contract.js';
import { ApiError } from './errors.js';
import type { ApiTransport } from './client.js';

export interface HttpTransportOptions {
  /** e.g. http://127.0.0.1:39917; '' for the origin that served the page. */
  baseUrl: string;
  /** A token set as GATEHOUSE_ADMIN_TOKEN; without one, the browser's session cookie for the window (or the local socket) is what lets the request in. */
  token?: string;
  fetch?: typeof fetch;
}

export function httpTransport(options: HttpTransportOptions): ApiTransport {
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  return {
    async call(method, input) {
      const res = await doFetch(`${options.baseUrl}/api/${method}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      const text = await res.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        throw new ApiError('internal', `unexpected answer from Gatehouse (HTTP ${res.status})`);
      }
      if (!res.ok) throw ApiError.from(body, res.status);
      return body;
    },

    subscribe(onEvent, onClose) {
      const controller = new AbortController();
      void (async () => {
        let reason: string | undefined;
        try {
          const res = await doFetch(`${options.baseUrl}/api/events`, { headers: { ...headers, accept: 'text/event-stream' }, signal: controller.signal });
          if (!res.ok || !res.body) throw ApiError.from(await res.json().catch(() => undefined), res.status);
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) !== -1) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = block
                .split('\n')
                .filter((l) => l.startsWith('data:'))
                .map((l) => l.slice(5).trimStart())
                .join('\n');
              if (data) onEvent(JSON.parse(data) as ApiEvent);
            }
          }
        } catch (err) {
          if (!controller.signal.aborted) reason = (err as Error).message;
        }
        onClose?.(reason);
      })();
      return () => controller.abort();
    },
  };
}
