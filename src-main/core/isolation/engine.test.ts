import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findEngine } from './engine.js';

let home: string;
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** A home with a docker context named `name` pointing at `host`, written where the docker CLI writes it. */
function withContext(name: string, host: string, current = true, tls = false): string {
  home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-engine-'));
  const id = createHash('sha256').update(name).digest('hex');
  const meta = path.join(home, '.docker', 'contexts', 'meta', id);
  mkdirSync(meta, { recursive: true });
  writeFileSync(path.join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
  if (current) writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ auths: {}, currentContext: name }));
  if (tls) {
    const dir = path.join(home, '.docker', 'contexts', 'tls', id, 'docker');
    mkdirSync(dir, { recursive: true });
    for (const f of ['ca', 'cert', 'key']) writeFileSync(path.join(dir, `${f}.pem`), `${f} of ${name}`);
  }
  return home;
}

describe('finding the container engine', () => {
  it('uses the current docker context, as Colima, OrbStack and Rancher Desktop set it', () => {
    withContext('colima', 'unix:///Users/someone/.colima/default/docker.sock');
    const engine = findEngine({ env: {}, platform: 'darwin', home });
    expect(engine.options).toEqual({ socketPath: '/Users/someone/.colima/default/docker.sock' });
    expect(engine.where).toBe('unix:///Users/someone/.colima/default/docker.sock (docker context "colima")');
  });

  it('lets DOCKER_CONTEXT choose a context and DOCKER_HOST override any', () => {
    withContext('remote', 'tcp://10.0.0.5:2376', false, true);
    expect(findEngine({ env: {}, platform: 'linux', home, exists: () => false }).where).toBe('unix:///var/run/docker.sock');
    const remote = findEngine({ env: { DOCKER_CONTEXT: 'remote' }, platform: 'linux', home });
    expect(remote.options).toMatchObject({ host: '10.0.0.5', port: 2376, protocol: 'https' });
    expect(String(remote.options.cert)).toBe('cert of remote');
    expect(findEngine({ env: { DOCKER_CONTEXT: 'remote', DOCKER_HOST: 'unix:///tmp/other.sock' }, platform: 'linux', home }).options).toEqual({ socketPath: '/tmp/other.sock' });
  });

  it('reads the client certificates DOCKER_TLS_VERIFY asks for', () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-engine-'));
    for (const f of ['ca', 'cert', 'key']) writeFileSync(path.join(home, `${f}.pem`), f);
    const engine = findEngine({ env: { DOCKER_HOST: 'tcp://docker.internal:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: home }, platform: 'linux', home });
    expect(engine.options).toMatchObject({ host: 'docker.internal', port: 2376, protocol: 'https' });
    expect([engine.options.ca, engine.options.cert, engine.options.key].map(String)).toEqual(['ca', 'cert', 'key']);
    expect(findEngine({ env: { DOCKER_HOST: 'tcp://docker.internal:2375' }, platform: 'linux', home }).options).toEqual({ host: 'docker.internal', port: 2375, protocol: 'http' });
  });

  it("finds Podman's socket where no Docker socket is", () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-engine-'));
    const rootless = path.join(home, 'run', 'podman', 'podman.sock');
    const only = (file: string) => (f: string) => f === file;
    expect(findEngine({ env: { XDG_RUNTIME_DIR: path.join(home, 'run') }, platform: 'linux', home, exists: only(rootless) }).options).toEqual({ socketPath: rootless });
    expect(findEngine({ env: {}, platform: 'linux', home, exists: only('/run/podman/podman.sock') }).options).toEqual({ socketPath: '/run/podman/podman.sock' });
    // A context that names no engine, or a config file that is not JSON, falls back to the sockets.
    writeFileSync(path.join(home, 'config.json'), '{ not json');
    expect(findEngine({ env: { DOCKER_CONFIG: home }, platform: 'linux', home, exists: only('/var/run/docker.sock') }).options).toEqual({ socketPath: '/var/run/docker.sock' });
  });
});
