// Finds the container engine the way Docker's own tools do — DOCKER_HOST, then the current docker context
// (which Colima, OrbStack, Rancher Desktop and Docker Desktop set), then the usual sockets — and also where
// Podman serves its Docker-compatible socket. The named pipe on Windows.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';

export interface EngineAddress {
  /** What to tell a person: the socket, pipe or URL, and the docker context it came from. */
  where: string;
  options: Docker.DockerOptions;
}

export interface EngineLookup {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
  exists?: (file: string) => boolean;
}

export function findEngine(lookup: EngineLookup = {}): EngineAddress {
  const { env = process.env, platform = process.platform, home = os.homedir(), exists = existsSync } = lookup;
  const config = env.DOCKER_CONFIG || path.join(home, '.docker');
  if (env.DOCKER_HOST) {
    const tls = env.DOCKER_TLS_VERIFY ? certificates(env.DOCKER_CERT_PATH || config, exists) : undefined;
    return { where: env.DOCKER_HOST, options: hostOptions(env.DOCKER_HOST, tls) };
  }
  const context = contextEndpoint(config, env.DOCKER_CONTEXT, exists);
  if (context) return context;
  if (platform === 'win32') return { where: 'npipe:////./pipe/docker_engine', options: { socketPath: '//./pipe/docker_engine' } };
  const candidates = [
    '/var/run/docker.sock',
    path.join(home, '.docker', 'run', 'docker.sock'),
    path.join(home, '.docker', 'desktop', 'docker.sock'),
    path.join(home, 'Library', 'Containers', 'com.docker.docker', 'Data', 'docker.raw.sock'),
    path.join(home, '.colima', 'default', 'docker.sock'),
    path.join(home, '.orbstack', 'run', 'docker.sock'),
    path.join(home, '.rd', 'docker.sock'),
    // Podman: rootless (its user service), then rootful.
    ...(env.XDG_RUNTIME_DIR ? [path.join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock')] : []),
    '/run/podman/podman.sock',
  ];
  const socket = candidates.find((c) => exists(c)) ?? candidates[0];
  return { where: `unix://${socket}`, options: { socketPath: socket } };
}

type Tls = Pick<Docker.DockerOptions, 'ca' | 'cert' | 'key'>;

function hostOptions(host: string, tls: Tls | undefined): Docker.DockerOptions {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('npipe://')) return { socketPath: host.slice('npipe://'.length).replace(/\//g, '\\') };
  const url = new URL(host.replace(/^tcp:/, tls ? 'https:' : 'http:'));
  return { host: url.hostname, port: Number(url.port) || (tls ? 2376 : 2375), protocol: tls ? 'https' : 'http', ...tls };
}

/** The client certificates in `dir` (ca.pem, cert.pem, key.pem), as Docker's tools read them for TLS. */
function certificates(dir: string, exists: (file: string) => boolean): Tls {
  const read = (name: string) => (exists(path.join(dir, name)) ? readFileSync(path.join(dir, name)) : undefined);
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

/**
 * The engine of the docker context in use (DOCKER_CONTEXT, else the config's `currentContext`), read from its
 * metadata where the docker CLI keeps it: contexts/meta/<sha256 of the name>/meta.json.
 */
function contextEndpoint(config: string, named: string | undefined, exists: (file: string) => boolean): EngineAddress | undefined {
  const name = named || readJson(path.join(config, 'config.json'), exists)?.currentContext;
  if (typeof name !== 'string' || name === '' || name === 'default') return undefined;
  const id = createHash('sha256').update(name).digest('hex');
  const host = readJson(path.join(config, 'contexts', 'meta', id, 'meta.json'), exists)?.Endpoints?.docker?.Host;
  if (typeof host !== 'string' || host === '') return undefined;
  const tlsDir = path.join(config, 'contexts', 'tls', id, 'docker');
  const tls = exists(path.join(tlsDir, 'ca.pem')) || exists(path.join(tlsDir, 'cert.pem')) ? certificates(tlsDir, exists) : undefined;
  return { where: `${host} (docker context "${name}")`, options: hostOptions(host, tls) };
}

interface DockerFiles {
  currentContext?: unknown;
  Endpoints?: { docker?: { Host?: unknown } };
}

function readJson(file: string, exists: (file: string) => boolean): DockerFiles | undefined {
  if (!exists(file)) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as DockerFiles) : undefined;
  } catch {
    return undefined;
  }
}
