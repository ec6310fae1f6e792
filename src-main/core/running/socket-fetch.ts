// fetch over a Unix socket or a Windows named pipe: the admin API's local socket, for the shared HTTP
// transport. Node's own fetch reaches a socket only through undici's Agent, whose load (its HTTP parser is
// WebAssembly) costs 60–100 ms a command; node:http, loaded anyway, speaks over a socket as it is. Only what
// the transport uses: a method, headers, a string body, a signal, and the answer's status, headers and stream.
import { request } from 'node:http';
import { Readable } from 'node:stream';

export function socketFetch(socketPath: string, timeoutMs?: number): typeof fetch {
  const send = (input: string | URL | Request, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const signal = init.signal ?? (timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs));
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      const req = request({ socketPath, method: init.method ?? 'GET', path: `${url.pathname}${url.search}`, headers, signal: signal ?? undefined }, (res) => {
        const answer = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) answer.set(name, Array.isArray(value) ? value.join(', ') : value);
        resolve(new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, { status: res.statusCode ?? 500, headers: answer }));
      });
      req.once('error', reject);
      req.end(typeof init.body === 'string' ? init.body : undefined);
    });
  return send as typeof fetch;
}
