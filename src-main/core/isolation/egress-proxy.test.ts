import { describe, expect, it } from 'vitest';
import { allowedBy } from './egress-proxy.js';

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
