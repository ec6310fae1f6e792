import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { allowedBy, clientHello } from './egress-proxy.js';

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
});
