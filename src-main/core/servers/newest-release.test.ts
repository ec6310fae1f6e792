import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newestRelease, packageIndex } from './newest-release.js';
import { packageRun } from './releases.js';

const run = (line: string) => {
  const [command, ...args] = line.split(' ');
  return packageRun(command!, args)!;
};

describe('which package index a Python run installs from', () => {
  it('reads the command line, then the variables its runner reads, the entry over Gatehouse', () => {
    const env = { UV_INDEX_URL: 'https://gatehouse.example/uv-old', PIP_INDEX_URL: 'https://gatehouse.example/pip' };
    expect(packageIndex(run('uvx --index-url https://cli.example/simple some-server'), { UV_DEFAULT_INDEX: 'https://entry.example' }, env)).toBe('https://cli.example/simple');
    expect(packageIndex(run('uvx --default-index=https://cli.example/simple some-server'), {}, env)).toBe('https://cli.example/simple');
    expect(packageIndex(run('uvx some-server'), { UV_DEFAULT_INDEX: 'https://entry.example' }, env)).toBe('https://entry.example');
    expect(packageIndex(run('uvx some-server'), {}, env)).toBe('https://gatehouse.example/uv-old');
    expect(packageIndex(run('uvx some-server'), {}, {})).toBeUndefined();
    expect(packageIndex(run('pipx run some-server'), {}, env)).toBe('https://gatehouse.example/pip');
    expect(packageIndex(run('pipx run -i https://cli.example/simple some-server'), {}, env)).toBe('https://cli.example/simple');
    expect(packageIndex(run('npx -y some-server'), {}, env)).toBeUndefined();
    expect(() => packageIndex(run('uvx some-server'), { UV_DEFAULT_INDEX: '${keyring:INDEX}' }, {})).toThrow('the package index in UV_DEFAULT_INDEX is named through a placeholder');
  });
});

// A package index as many are hosted: static pages of the Simple API (PEP 503), here behind a password,
// answering in PEP 691's JSON for the one project that has it.
describe('the newest release on a package index', () => {
  let server: Server;
  let index = '';
  const PASSWORD = 'index-secret-4711';
  const files = (names: string[]) => names.map((n) => `<a href="../../files/${n}#sha256=00"${n.includes('1.11.0') ? ' data-yanked="broken"' : ''}>${n}</a>`).join('<br>\n');
  const pages: Record<string, string> = {
    '/simple/some-server/': `<!DOCTYPE html><html><body>${files(['some_server-1.2.0-py3-none-any.whl', 'some-server-1.10.0.tar.gz', 'some_server-1.11.0-py3-none-any.whl', 'some_server-2.0.0rc1-py3-none-any.whl'])}</body></html>`,
    '/simple/only-previews/': `<html><body>${files(['only_previews-0.1.0b1.tar.gz', 'only_previews-0.1.0b2-py3-none-any.whl'])}</body></html>`,
  };
  const json = { meta: { 'api-version': '1.1' }, name: 'json-server', files: [{ filename: 'json_server-3.0.0-py3-none-any.whl', yanked: false }, { filename: 'json_server-3.1.0.tar.gz', yanked: 'bad build' }, { filename: 'json_server-3.0.1.tar.gz' }] };

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.headers.authorization !== `Basic ${Buffer.from(`reader:${PASSWORD}`).toString('base64')}`) return res.writeHead(401).end();
      if (req.url === '/simple/json-server/' && req.headers.accept?.includes('application/vnd.pypi.simple.v1+json')) {
        return res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' }).end(JSON.stringify(json));
      }
      const page = Object.hasOwn(pages, req.url!) ? pages[req.url!] : undefined;
      if (!page) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    index = `http://reader:${PASSWORD}@127.0.0.1:${(server.address() as AddressInfo).port}/simple`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('takes the newest final release by PEP 440, leaving out yanked files and pre-releases', async () => {
    expect(await newestRelease({ registry: 'PyPI', name: 'Some_Server' }, index)).toBe('1.10.0');
    expect(await newestRelease({ registry: 'PyPI', name: 'json-server' }, `${index}/`)).toBe('3.0.1');
    expect(await newestRelease({ registry: 'PyPI', name: 'only-previews' }, index)).toBe('0.1.0b2');
  });

  it('says what went wrong without showing the credentials', async () => {
    const wrong = index.replace(PASSWORD, 'wrong');
    const where = index.replace(`reader:${PASSWORD}@`, '');
    await expect(newestRelease({ registry: 'PyPI', name: 'some-server' }, wrong)).rejects.toThrow(`the package index ${where} refused to list some-server (401): its credentials are missing or wrong`);
    await expect(newestRelease({ registry: 'PyPI', name: 'no-such-server' }, index)).rejects.toThrow(`the package index ${where} has no project named no-such-server`);
    await expect(newestRelease({ registry: 'PyPI', name: 'x' }, 'file:///srv/wheels')).rejects.toThrow('is not on http or https');
    const bad = await newestRelease({ registry: 'PyPI', name: 'x' }, `not a url ${PASSWORD}`).catch((err: Error) => err.message);
    expect(bad).toBe('the package index it is told to install from is not a URL');
  });
});
