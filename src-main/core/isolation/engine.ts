// Finds the Docker engine the way Docker's own tools do: DOCKER_HOST, the default socket, Docker
// Desktop's socket on macOS, the named pipe on Windows.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';

export interface EngineAddress {
  /** What to tell a person: the socket, pipe or URL. */
  where: string;
  options: Docker.DockerOptions;
}

export function findEngine(env: NodeJS.ProcessEnv = process.env, platform = process.platform): EngineAddress {
  const host = env.DOCKER_HOST;
  if (host) {
    if (host.startsWith('unix://')) return { where: host, options: { socketPath: host.slice('unix://'.length) } };
    if (host.startsWith('npipe://')) return { where: host, options: { socketPath: host.slice('npipe://'.length).replace(/\//g, '\\') } };
    const url = new URL(host.replace(/^tcp:/, env.DOCKER_TLS_VERIFY ? 'https:' : 'http:'));
    return { where: host, options: { host: url.hostname, port: Number(url.port) || 2375, protocol: url.protocol === 'https:' ? 'https' : 'http' } };
  }
  if (platform === 'win32') return { where: 'npipe:////./pipe/docker_engine', options: { socketPath: '//./pipe/docker_engine' } };
  const candidates = [
    '/var/run/docker.sock',
    path.join(os.homedir(), '.docker', 'run', 'docker.sock'),
    path.join(os.homedir(), '.docker', 'desktop', 'docker.sock'),
    path.join(os.homedir(), 'Library', 'Containers', 'com.docker.docker', 'Data', 'docker.raw.sock'),
  ];
  const socket = candidates.find((c) => existsSync(c)) ?? candidates[0];
  return { where: `unix://${socket}`, options: { socketPath: socket } };
}
