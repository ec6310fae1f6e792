// Why a remote server could not be reached, in words a person can act on. fetch says only "fetch failed"
// (the cause sits in err.cause), and the SDK quotes a refused request's whole body, often an HTML page.

const BY_CODE = new Map<string, (host: string) => string>([
  ['ECONNREFUSED', (host) => `nothing answers at ${host} (connection refused): is the server running, on that port?`],
  ['ENOTFOUND', (host) => `the host name of ${host} is not known: check the address`],
  ['EAI_AGAIN', (host) => `the host name of ${host} could not be looked up now: check the network`],
  ['ETIMEDOUT', (host) => `no answer from ${host} (the connection timed out)`],
  ['ECONNRESET', (host) => `${host} closed the connection`],
  ['EHOSTUNREACH', (host) => `${host} cannot be reached from this computer`],
  ['ENETUNREACH', (host) => `the network of ${host} cannot be reached from this computer`],
]);

/** TLS failures: the certificate is not one this computer trusts for that host. */
const CERTIFICATE = /^(?:CERT_|ERR_TLS_CERT|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/;

/** The error's own code or its causes' (fetch wraps the socket's error, undici sometimes twice). */
function codeOf(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (BY_CODE.has(code) || CERTIFICATE.test(code))) return code;
  }
  return undefined;
}

/** The error's message and its causes', as one text. */
function messagesOf(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) parts.push(String((e as { message?: unknown }).message ?? ''));
  return parts.join(': ');
}

/** An HTTP status the server answered with: the SDK's error data, or "(HTTP 404)" in its message. */
export function statusOf(err: unknown): { status: number; text?: string } | undefined {
  if (!(err instanceof Error)) return undefined;
  const data = (err as { data?: { status?: unknown; text?: unknown } }).data;
  if (data && typeof data.status === 'number') return { status: data.status, text: typeof data.text === 'string' ? data.text : undefined };
  const m = /\(HTTP (\d{3})\)/.exec(err.message);
  return m ? { status: Number(m[1]) } : undefined;
}

/** A body worth quoting: plain words, not a page of markup, and short. */
function gist(text: string | undefined): string {
  const plain = (text ?? '').trim();
  if (!plain || /^</.test(plain)) return '';
  return `: ${plain.length > 200 ? `${plain.slice(0, 200)}…` : plain}`;
}

/** What to tell a person about a failed connection to `url`, or undefined when it is no network failure. */
export function describeConnectError(err: unknown, url: string): string | undefined {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // An address that does not parse is named as written.
  }
  const code = codeOf(err);
  // fetch refuses the ports of other protocols (1, 25, 6000…) before connecting, and says only "bad port".
  if (!code && /\bbad port\b/.test(messagesOf(err))) return `fetch does not connect to the port of ${host}, one kept for another protocol: serve it on another port`;
  if (code) return BY_CODE.get(code)?.(host) ?? `the TLS certificate of ${host} is not trusted (${code})`;
  const answered = statusOf(err);
  if (!answered || answered.status < 400 || answered.status === 401) return undefined;
  const hint = answered.status === 404 || answered.status === 405 ? ': is the address the server\'s MCP endpoint (often ending in /mcp or /sse)?' : gist(answered.text);
  return `the server answered HTTP ${answered.status}${hint}`;
}

/** Whether nothing listens where the request went: the server has stopped (or never started). */
export function connectionRefused(err: unknown): boolean {
  return codeOf(err) === 'ECONNREFUSED';
}
