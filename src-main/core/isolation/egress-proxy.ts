// One container's only way out: a forward proxy (HTTP CONNECT for TLS, absolute URLs for plain HTTP) on
// the host side of the container's internal network, which lets through the hosts its entry allows and
// nothing else. Written here rather than taken from a proxy library because the checks are the point:
// names are matched before any connection, resolved here (the container has no DNS of its own), and a
// name that resolves into this computer or its private network is refused unless that address itself is
// allowed, so an allowed name cannot be pointed at Gatehouse's own endpoints or the LAN.
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import net from 'node:net';

const PRIVATE = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['::ffff:0:0', 96]] as const) PRIVATE.addSubnet(address, prefix, 'ipv6');

interface Rule {
  host: string;
  wildcard: boolean;
  port?: number;
}

function ruleOf(entry: string): Rule {
  const [, name = entry, port] = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase())!;
  const wildcard = name.startsWith('*.');
  return { host: wildcard ? name.slice(2) : name, wildcard, ...(port ? { port: Number(port) } : {}) };
}

/** The allowed entry `host:port` falls under, if any. */
export function allowedBy(allow: string[], host: string, port: number): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  return allow.find((entry) => {
    const rule = ruleOf(entry);
    const portOk = rule.port !== undefined ? rule.port === port : port === 80 || port === 443;
    return portOk && (rule.wildcard ? name.endsWith(`.${rule.host}`) : name === rule.host);
  });
}

export class EgressRefused extends Error {}

/** Where to connect for `host:port`, or why not. */
async function destination(allow: string[], host: string, port: number): Promise<string> {
  const entry = allowedBy(allow, host, port);
  if (!entry) throw new EgressRefused(`${host}:${port} is not among the hosts its entry allows (isolation.allowHosts)`);
  const bare = host.replace(/^\[|\]$/g, '');
  // An address allowed by itself is the person's explicit choice.
  if (net.isIP(bare)) return bare;
  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookup(bare, { all: true });
  } catch (err) {
    throw new EgressRefused(`${host} could not be resolved (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const open = addresses.find((a) => !PRIVATE.check(a.address, a.family === 6 ? 'ipv6' : 'ipv4'));
  if (!open) {
    throw new EgressRefused(`${host} resolves to ${addresses.map((a) => a.address).join(', ')}, on this computer or its private network: name that address in allowHosts to allow it`);
  }
  return open.address;
}

/** The most of a tunnel held to read its TLS hello, over as many records as it spans (Node's is under 2 KB). */
const MAX_HELLO = 64 * 1024;

/**
 * Reads the server name of a TLS ClientHello at the start of `data`, in one handshake record or spread over
 * several: `tls` false when it is no TLS handshake; `complete` false while it has not all arrived, or, with
 * `unreadable`, when it never can be read (what follows is no hello, or breaks off in another record).
 */
export function clientHello(data: Buffer): { tls: boolean; complete: boolean; name?: string; unreadable?: true } {
  if (!data.length) return { tls: true, complete: false };
  if (data[0] !== 0x16) return { tls: false, complete: true };
  const waiting = { tls: true, complete: false } as const;
  const unreadable = { tls: true, complete: false, unreadable: true } as const;
  // The handshake messages: each record's fragment, joined until the first message is whole.
  const fragments: Buffer[] = [];
  let joined = 0;
  let at = 0;
  let hello: Buffer | undefined;
  while (!hello) {
    if (at + 5 > data.length) return waiting;
    if (data[at] !== 0x16) return unreadable;
    const length = data.readUInt16BE(at + 3);
    if (at + 5 + length > data.length) return waiting;
    fragments.push(data.subarray(at + 5, at + 5 + length));
    joined += length;
    at += 5 + length;
    if (joined < 4) continue;
    const messages = fragments.length === 1 ? fragments[0]! : Buffer.concat(fragments);
    if (messages[0] !== 0x01) return unreadable;
    const size = messages.readUIntBE(1, 3);
    if (messages.length >= 4 + size) hello = messages.subarray(0, 4 + size);
  }
  const end = hello.length;
  let p = 4 + 2 + 32; // handshake header, version, random
  const need = (n: number) => {
    if (p + n > end) throw new RangeError('short');
  };
  try {
    need(1);
    p += 1 + hello[p]!; // session id
    need(2);
    p += 2 + hello.readUInt16BE(p); // cipher suites
    need(1);
    p += 1 + hello[p]!; // compression methods
    if (p === end) return { tls: true, complete: true };
    need(2);
    const extensionsEnd = p + 2 + hello.readUInt16BE(p);
    p += 2;
    while (p + 4 <= extensionsEnd && p + 4 <= end) {
      const type = hello.readUInt16BE(p);
      const length = hello.readUInt16BE(p + 2);
      p += 4;
      if (type === 0) {
        need(5);
        const nameLength = hello.readUInt16BE(p + 3);
        p += 5;
        need(nameLength);
        return { tls: true, complete: true, name: hello.toString('latin1', p, p + nameLength).toLowerCase() };
      }
      p += length;
    }
    return { tls: true, complete: true };
  } catch {
    return unreadable;
  }
}

/** A plain request's target: an absolute http:// (or ws://) URL; undefined for anything else. */
function absoluteHttp(url: string | undefined): URL | undefined {
  try {
    const target = new URL(url ?? '');
    return target.protocol === 'http:' || target.protocol === 'ws:' ? target : undefined;
  } catch {
    return undefined;
  }
}

/** A request's headers as sent on: the proxy's own dropped, and the Host of the site allowed. */
function forwarded(req: http.IncomingMessage, target: URL, upgrade: boolean): http.OutgoingHttpHeaders {
  const headers = { ...req.headers };
  // `Connection` carries the wish to switch protocols, so an upgrade keeps it.
  for (const hop of ['proxy-connection', 'proxy-authorization', 'keep-alive', ...(upgrade ? [] : ['connection'])]) delete headers[hop];
  // The site asked for is the one allowed: a Host of another name would reach another site sharing the address.
  headers.host = target.host;
  return headers;
}

/** Headers as the site sent them, one line each, but those named in `without` (lower case). */
function rawHeaderLines(raw: string[], without: string[] = []): string {
  let lines = '';
  for (let i = 0; i + 1 < raw.length; i += 2) if (!without.includes(raw[i]!.toLowerCase())) lines += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return lines;
}

export class EgressProxy {
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  /**
   * Listens on `address` (on the host's side of Docker's default network), refusing all but `allow`. Takes
   * connections only from the peers `admit` names: any container can reach that address, and the proxy
   * reaches services of this computer that an allowed host names.
   */
  static async start(address: string, allow: string[], onRefused: (target: string, why: string) => void, admit: (peer: string) => boolean = () => true): Promise<EgressProxy> {
    const server = http.createServer((req, res) => {
      const target = absoluteHttp(req.url);
      if (!target) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('This proxy forwards absolute http:// URLs, and https through CONNECT.\n');
      const port = Number(target.port || 80);
      destination(allow, target.hostname, port).then(
        (ip) => {
          const upstream = http.request({ host: ip, port, method: req.method, path: `${target.pathname}${target.search}`, headers: forwarded(req, target, false), setHost: false }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          });
          upstream.on('error', (err) => res.headersSent ? res.destroy() : res.writeHead(502, { 'content-type': 'text/plain' }).end(`${err.message}\n`));
          req.pipe(upstream);
        },
        (err: Error) => {
          onRefused(`${target.hostname}:${port}`, err.message);
          res.writeHead(403, { 'content-type': 'text/plain' }).end(`Gatehouse refused this connection: ${err.message}.\n`);
        },
      );
    });
    // A plain request that asks to switch protocols (a ws:// WebSocket): the same checks, then both ways.
    server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      const target = absoluteHttp(req.url);
      if (!target) return void socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\n\r\nThis proxy forwards absolute http:// and ws:// URLs, and https through CONNECT.\n');
      const port = Number(target.port || 80);
      destination(allow, target.hostname, port).then(
        (ip) => {
          const upstream = http.request({ host: ip, port, method: req.method, path: `${target.pathname}${target.search}`, headers: forwarded(req, target, true), setHost: false });
          const statusLine = (reply: http.IncomingMessage) => `HTTP/1.1 ${reply.statusCode} ${reply.statusMessage}\r\n`;
          upstream.on('upgrade', (switched: http.IncomingMessage, far: net.Socket, farHead: Buffer) => {
            socket.write(`${statusLine(switched)}${rawHeaderLines(switched.rawHeaders)}\r\n`);
            if (farHead.length) socket.write(farHead);
            if (head.length) far.write(head);
            far.on('error', () => socket.destroy());
            socket.on('close', () => far.destroy());
            far.pipe(socket);
            socket.pipe(far);
          });
          // Not switched: the site's answer goes back, its body as read (no longer in chunks), and the connection ends.
          upstream.on('response', (refused: http.IncomingMessage) => {
            const kept = rawHeaderLines(refused.rawHeaders, ['transfer-encoding', 'content-length', 'connection']);
            socket.write(`${statusLine(refused)}${kept}connection: close\r\n\r\n`);
            refused.pipe(socket);
          });
          upstream.on('error', () => (socket.writable ? socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n') : socket.destroy()));
          upstream.end();
        },
        (err: Error) => {
          onRefused(`${target.hostname}:${port}`, err.message);
          socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nGatehouse refused this connection: ${err.message}.\n`);
        },
      );
    });
    server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      const [, host = '', port = ''] = /^\[?([^\]]*?)\]?:(\d+)$/.exec(req.url ?? '') ?? [];
      if (!host || !port) return void socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      destination(allow, host, Number(port)).then(
        (ip) => {
          const upstream = net.connect(Number(port), ip, () => {
            socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
            // What goes through is held until its TLS hello, if it is one, says which site it asks for:
            // another name would reach another site sharing the address.
            let held = head;
            const onData = (chunk: Buffer) => {
              held = Buffer.concat([held, chunk]);
              inspect();
            };
            const inspect = () => {
              const hello = clientHello(held);
              if (!hello.complete && !hello.unreadable && held.length < MAX_HELLO) return;
              socket.off('data', onData);
              const named = hello.tls ? hello.name : undefined;
              if (hello.tls && (!hello.complete || (named !== undefined && !allowedBy(allow, named, Number(port))))) {
                onRefused(`${host}:${port}`, named === undefined ? 'its TLS hello could not be read' : `its TLS hello asks for ${named}, which is not among the hosts its entry allows`);
                upstream.destroy();
                return void socket.destroy();
              }
              if (held.length) upstream.write(held);
              upstream.pipe(socket);
              socket.pipe(upstream);
            };
            socket.on('data', onData);
            if (head.length) inspect();
          });
          upstream.on('error', () => (socket.writable ? socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n') : socket.destroy()));
          socket.on('close', () => upstream.destroy());
        },
        (err: Error) => {
          onRefused(`${host}:${port}`, err.message);
          socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nGatehouse refused this connection: ${err.message}.\n`);
        },
      );
    });
    server.on('connection', (socket: net.Socket) => {
      if (!admit((socket.remoteAddress ?? '').replace(/^::ffff:/, ''))) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, address, () => resolve());
    });
    const { port } = server.address() as net.AddressInfo;
    return new EgressProxy(server, `http://${address}:${port}`);
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  close(): void {
    this.server.close();
    this.server.closeAllConnections();
  }
}
