import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkLocalRequest } from './requests.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const port = () => 4000;

describe('checkLocalRequest (DNS-rebinding protection)', () => {
  it('allows loopback hosts on our port, with or without a loopback Origin', () => {
    expect(checkLocalRequest(req({ host: '127.0.0.1:4000' }), port)).toBeUndefined();
    expect(checkLocalRequest(req({ host: 'localhost:4000', origin: 'http://localhost:5173' }), port)).toBeUndefined();
    expect(checkLocalRequest(req({ host: '[::1]:4000' }), port)).toBeUndefined();
  });

  it('refuses other hosts, other ports, and foreign or null origins', () => {
    expect(checkLocalRequest(req({ host: 'evil.example:4000' }), port)).toMatch(/Host/);
    expect(checkLocalRequest(req({ host: '127.0.0.1:4001' }), port)).toMatch(/Host/);
    expect(checkLocalRequest(req({ host: '127.0.0.1:4000', origin: 'https://evil.example' }), port)).toMatch(/Origin/);
    expect(checkLocalRequest(req({ host: '127.0.0.1:4000', origin: 'null' }), port)).toMatch(/Origin/);
  });
});
