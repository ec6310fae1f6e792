import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it, vi } from 'vitest';
import { allowedBy, clientHello, EgressProxy } from './egress-proxy.js';

/** The first bytes Node's own TLS client sends, asking for `servername` (none: an address, which TLS names not). */
async function helloOf(servername?: string): Promise<Buffer> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const first = new Promise<Buffer>((resolve) => server.once('connection', (socket) => socket.once('data', (data: Buffer) => (resolve(data), socket.destroy()))));
  const client = tls.connect({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port, ...(servername ? { servername } : {}), rejectUnauthorized: false });
  client.on('error', () => undefined);
  const data = await first;
  server.close();
  return data;
}

describe('which hosts a container may reach', () => {
  it('matches names whole, "*.domain" below the domain only, and ports 80 and 443 unless one is named', () => {
    const allow = ['api.github.com', '*.example.com', 'db.internal:5432'];
    expect(allowedBy(allow, 'API.GitHub.com.', 443)).toBe('api.github.com');
    expect(allowedBy(allow, 'api.github.com', 80)).toBe('api.github.com');
    expect(allowedBy(allow, 'api.github.com', 22)).toBeUndefined();
    expect(allowedBy(allow, 'evilapi.github.com', 443)).toBeUndefined();
    expect(allowedBy(allow, 'a.b.example.com', 443)).toBe('*.example.com');
    expect(allowedBy(allow, 'example.com', 443)).toBeUndefined();
    expect(allowedBy(allow, 'example.com.evil.net', 443)).toBeUndefined();
    expect(allowedBy(allow, 'db.internal', 5432)).toBe('db.internal:5432');
    expect(allowedBy(allow, 'db.internal', 443)).toBeUndefined();
  });
});

describe('the site a TLS tunnel asks for', () => {
  it("reads the server name of a real client's hello, and waits while it is incomplete", async () => {
    const hello = await helloOf('API.Example.com');
    expect(clientHello(hello)).toEqual({ tls: true, complete: true, name: 'api.example.com' });
    expect(clientHello(hello.subarray(0, 40))).toEqual({ tls: true, complete: false });
    expect(clientHello(await helloOf())).toEqual({ tls: true, complete: true });
    expect(clientHello(Buffer.from('GET / HTTP/1.1\r\n'))).toEqual({ tls: false, complete: true });
    // A record that says it is a hello but does not hold one is not read as complete.
    expect(clientHello(Buffer.from([0x16, 3, 1, 0, 4, 1, 0, 0, 200]))).toEqual({ tls: true, complete: false });
  });

  it('reads a hello spread over several records, and says when what follows can never be one', async () => {
    const hello = await helloOf('API.Example.com');
    const split = inRecords(hello, [3, 60]);
    expect(split.length).toBe(hello.length + 2 * 5); // three records
    expect(clientHello(split)).toEqual({ tls: true, complete: true, name: 'api.example.com' });
    // Until its last record is in, it waits.
    expect(clientHello(split.subarray(0, split.length - 1))).toEqual({ tls: true, complete: false });
    expect(clientHello(split.subarray(0, 5 + 3 + 5 + 60))).toEqual({ tls: true, complete: false });
    // Another kind of record before the hello is whole, or a first message that is no hello: never readable.
    const alert = Buffer.from(split);
    alert[5 + 3] = 0x15;
    expect(clientHello(alert)).toEqual({ tls: true, complete: false, unreadable: true });
    expect(clientHello(Buffer.from([0x16, 3, 1, 0, 4, 2, 0, 0, 200]))).toEqual({ tls: true, complete: false, unreadable: true });
  });

  it('lets a tunnel through when its hello, over several records, asks for an allowed name, and cuts it when not', async () => {
    const received: Buffer[] = [];
    const site = net.createServer((socket) => socket.on('data', (d: Buffer) => received.push(d)));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const port = (site.address() as net.AddressInfo).port;
    const refused: string[] = [];
    const proxy = await EgressProxy.start('127.0.0.1', [`127.0.0.1:${port}`, `api.example.com:${port}`], (target, why) => refused.push(`${target}: ${why}`));
    try {
      const allowed = inRecords(await helloOf('api.example.com'), [3, 60]);
      expect(await tunnel(proxy.url, port, allowed)).toBe('open');
      await vi.waitFor(() => expect(Buffer.concat(received)).toEqual(allowed));
      expect(await tunnel(proxy.url, port, inRecords(await helloOf('elsewhere.example'), [3, 60]))).toBe('closed');
      expect(refused).toEqual([`127.0.0.1:${port}: its TLS hello asks for elsewhere.example, which is not among the hosts its entry allows`]);
    } finally {
      proxy.close();
      site.close();
    }
  });
});

/** The handshake of a one-record hello cut into records after these many bytes each (the rest in the last). */
function inRecords(hello: Buffer, cuts: number[]): Buffer {
  const messages = hello.subarray(5, 5 + hello.readUInt16BE(3));
  const records: Buffer[] = [];
  let at = 0;
  for (const size of [...cuts, messages.length]) {
    const part = messages.subarray(at, Math.min(at + size, messages.length));
    if (!part.length) break;
    records.push(Buffer.from([0x16, 3, 1, part.length >> 8, part.length & 0xff]), part);
    at += part.length;
  }
  return Buffer.concat(records);
}

/** Opens a CONNECT tunnel to 127.0.0.1:`port` and sends `bytes` a record at a time; says whether it stays open. */
async function tunnel(proxy: string, port: number, bytes: Buffer): Promise<'open' | 'closed'> {
  const { hostname, port: proxyPort } = new URL(proxy);
  const socket = net.connect(Number(proxyPort), hostname);
  socket.on('error', () => undefined);
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  socket.write(`CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  for (let at = 0; at < bytes.length; at += 5 + bytes.readUInt16BE(at + 3)) {
    socket.write(bytes.subarray(at, at + 5 + bytes.readUInt16BE(at + 3)));
    await new Promise((r) => setTimeout(r, 20));
  }
  const ended = await Promise.race([closed, new Promise<boolean>((r) => setTimeout(() => r(false), 500))]);
  socket.destroy();
  return ended ? 'closed' : 'open';
}

describe('a plain request that switches protocols (ws://)', () => {
  /** A site on loopback that switches any request to an echo of the bytes sent after it, saying the Host it was asked for. */
  async function echoSite(): Promise<{ port: number; close: () => void }> {
    const server = http.createServer((_req, res) => res.writeHead(426).end('upgrade required\n'));
    server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
      if (req.headers.upgrade !== 'websocket') return void socket.end('HTTP/1.1 426 Upgrade Required\r\ntransfer-encoding: chunked\r\n\r\n9\r\nnot this \r\n8\r\nprotocol\r\n0\r\n\r\n');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Host: ${req.headers.host}\r\n\r\n`);
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as net.AddressInfo).port, close: () => (server.closeAllConnections(), server.close()) };
  }

  /** Asks the proxy to switch `url` to WebSocket; the answer's status, its headers and what came back of `say`. */
  function upgradeThrough(proxy: string, url: string, say: string, protocol = 'websocket'): Promise<{ status: number; host?: string; echoed?: string; body?: string }> {
    const { hostname, port } = new URL(proxy);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: hostname, port, path: url, headers: { connection: 'Upgrade', upgrade: protocol, host: 'elsewhere.example' } });
      req.on('upgrade', (res, socket: net.Socket) => {
        socket.write(say);
        socket.once('data', (data: Buffer) => (resolve({ status: res.statusCode!, host: res.headers['x-host'] as string, echoed: data.toString() }), socket.destroy()));
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, ...(body ? { body } : {}) }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('is let through to an allowed host, with its Host, both ways; another host is refused and told', async () => {
    const site = await echoSite();
    const refused: string[] = [];
    const proxy = await EgressProxy.start('127.0.0.1', [`127.0.0.1:${site.port}`], (target, why) => refused.push(`${target}: ${why}`));
    try {
      expect(await upgradeThrough(proxy.url, `ws://127.0.0.1:${site.port}/socket`, 'hello over ws')).toEqual({ status: 101, host: `127.0.0.1:${site.port}`, echoed: 'hello over ws' });
      expect(await upgradeThrough(proxy.url, `http://127.0.0.1:${site.port}/socket`, 'and over http')).toMatchObject({ status: 101, echoed: 'and over http' });
      // A site that does not switch: its answer comes back whole.
      expect(await upgradeThrough(proxy.url, `ws://127.0.0.1:${site.port}/socket`, 'x', 'h2c')).toEqual({ status: 426, body: 'not this protocol' });
      expect((await upgradeThrough(proxy.url, `ws://localhost:${site.port}/socket`, 'x')).status).toBe(403);
      expect(refused).toEqual([expect.stringMatching(new RegExp(`^localhost:${site.port}: `))]);
    } finally {
      proxy.close();
      site.close();
    }
  });

  it('takes connections only from the peers it admits: another one is cut before it is read', async () => {
    const site = await echoSite();
    let admitted = '';
    const proxy = await EgressProxy.start('127.0.0.1', [`127.0.0.1:${site.port}`], () => undefined, (peer) => peer === admitted);
    try {
      await expect(upgradeThrough(proxy.url, `ws://127.0.0.1:${site.port}/socket`, 'from a stranger')).rejects.toThrow(/ECONNRESET|socket hang up/);
      admitted = '127.0.0.1';
      expect(await upgradeThrough(proxy.url, `ws://127.0.0.1:${site.port}/socket`, 'from the relay')).toMatchObject({ status: 101, echoed: 'from the relay' });
    } finally {
      proxy.close();
      site.close();
    }
  });
});
