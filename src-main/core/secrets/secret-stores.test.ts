import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore } from './encrypted-file.js';
import { Redactor } from './redact.js';
import { resolvePlaceholders, MissingSecrets } from './resolve.js';
import { MemorySecretStore } from './store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function file(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-secrets-'));
  dirs.push(d);
  return path.join(d, 'secrets.enc');
}

describe('EncryptedFileSecretStore', () => {
  it('keeps values encrypted on disk and reads them back with the passphrase', async () => {
    const f = file();
    const store = new EncryptedFileSecretStore(f, 'correct horse');
    await store.set('github_token', 'ghp_plaintextvalue123456789');
    await store.set('other', 'second-value');
    expect(readFileSync(f, 'utf8')).not.toContain('ghp_plaintextvalue123456789');
    const again = new EncryptedFileSecretStore(f, 'correct horse');
    expect(await again.get('github_token')).toBe('ghp_plaintextvalue123456789');
    expect(await again.list()).toEqual(['github_token', 'other']);
    expect(await again.delete('other')).toBe(true);
    expect(await again.list()).toEqual(['github_token']);
  });

  it("keeps secrets named like Object's members as any other", async () => {
    const f = file();
    const store = new EncryptedFileSecretStore(f, 'pass');
    expect(await store.get('constructor')).toBeUndefined();
    expect(await store.delete('toString')).toBe(false);
    await store.set('constructor', 'value-c');
    await store.set('__proto__', 'value-p');
    await store.set('hasOwnProperty', 'value-h');
    const again = new EncryptedFileSecretStore(f, 'pass');
    expect(await again.get('constructor')).toBe('value-c');
    expect(await again.get('__proto__')).toBe('value-p');
    expect(await again.list()).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(await again.delete('hasOwnProperty')).toBe(true);
    expect(await again.delete('valueOf')).toBe(false);
    expect(await again.list()).toEqual(['__proto__', 'constructor']);
  });

  it('says plainly when the passphrase is missing or wrong', async () => {
    const f = file();
    await new EncryptedFileSecretStore(f, 'one').set('a', 'value-a');
    await expect(new EncryptedFileSecretStore(f, 'two').get('a')).rejects.toThrow(/not the one it was written with/);
    await expect(new EncryptedFileSecretStore(f, undefined).get('a')).rejects.toThrow(/GATEHOUSE_SECRETS_PASSPHRASE/);
  });
});

describe('resolvePlaceholders', () => {
  const config = {
    command: 'node',
    args: ['server.js', '--token=${keyring:api}'],
    env: { API_KEY: '${keyring:api}', REGION: '${env:REGION}', PLAIN: 'x' },
    headers: { Authorization: 'Bearer ${keyring:api}' },
  };

  it('fills keyring and env placeholders in env, args and headers', async () => {
    const secrets = new MemorySecretStore();
    await secrets.set('api', 's3cr3t-value');
    const { config: resolved, values } = await resolvePlaceholders(config, () => secrets, { REGION: 'eu' });
    expect(resolved.env).toEqual({ API_KEY: 's3cr3t-value', REGION: 'eu', PLAIN: 'x' });
    expect(resolved.args).toEqual(['server.js', '--token=s3cr3t-value']);
    expect(resolved.headers).toEqual({ Authorization: 'Bearer s3cr3t-value' });
    expect(values).toContain('s3cr3t-value');
    expect(config.env.API_KEY).toBe('${keyring:api}');
  });

  it('names every missing secret and variable, and how to set it', async () => {
    const err = await resolvePlaceholders(config, () => new MemorySecretStore(), {}).catch((e) => e);
    expect(err).toBeInstanceOf(MissingSecrets);
    expect(err.message).toBe('needs secret api: set it with `gatehouse secrets set api`; needs environment variable REGION: set it where Gatehouse starts');
  });
});

describe('Redactor', () => {
  it('scrubs known values and token shapes', () => {
    const r = new Redactor();
    r.setConfigured(['configured-secret-1', 'short']);
    r.learn(['resolved-secret-2']);
    const out = r.redact('a configured-secret-1 b resolved-secret-2 c short Authorization: Bearer abcdefghijkl ghp_0123456789abcdefghij0123');
    expect(out).toBe('a [redacted] b [redacted] c short Authorization: Bearer [redacted] [redacted]');
  });

  it('scrubs a known value percent-encoded in a URL or written in base64', () => {
    const r = new Redactor();
    r.learn(['pa ss"w<rd>/+=é']);
    const url = new URL('http://127.0.0.1:9/mcp/pa ss"w<rd>/+=é?key=pa ss"w<rd>/+=é');
    const basic = Buffer.from('pa ss"w<rd>/+=é').toString('base64');
    const out = r.redact(`could not reach ${url.href} (form key=${encodeURIComponent('pa ss"w<rd>/+=é')}; echoed ${basic})`);
    expect(out).toBe('could not reach http://127.0.0.1:9/mcp/[redacted]?key=[redacted] (form key=[redacted]; echoed [redacted])');
  });

  it('scrubs secrets written in arguments, and leaves what only looks near them', () => {
    const r = new Redactor();
    expect(r.redact('postgresql://app:pg-pass@db:5432/shop --api-key k-1234 --password=p-99 -e API_TOKEN=t-77 --auth-token x1')).toBe(
      'postgresql://app:[redacted]@db:5432/shop --api-key [redacted] --password=[redacted] -e API_TOKEN=[redacted] --auth-token [redacted]',
    );
    const plain = 'https://example.com/a?b=c git@github.com:me/repo --max-tokens 4096 --token-file /run/t TOKEN_FILE=/run/t --verbose --port 8080 mail me@example.com';
    expect(r.redact(plain)).toBe(plain);
  });
});
