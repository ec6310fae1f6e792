// The isolation in force for one server: the global default merged with the server's own setting.
import type { GatehouseConfig, IsolationConfig, ServerConfig } from '../../../src-shared/config/schema.js';
import { serverKind } from '../../../src-shared/config/schema.js';
import { imageFor, isDockerCommand } from './runtimes.js';

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

export interface IsolationSettings {
  image: string;
  memoryBytes?: number;
  cpus?: number;
  network: 'none' | 'bridge';
  mounts: Mount[];
  workdir?: string;
  readOnlyRootfs: boolean;
  pidsLimit: number;
  fallback: 'none' | 'unisolated';
}

export class IsolationConfigError extends Error {}

/** What a server's own isolation setting gives up of the container: each the person's to allow. */
export type Loosening = 'off' | 'mounts' | 'network' | 'no-docker';

export function looseningsOf(own: ServerConfig['isolation']): Loosening[] {
  if (own === false) return ['off'];
  if (typeof own !== 'object') return [];
  const given: [boolean, Loosening][] = [
    [own.enabled === false, 'off'],
    [!!own.mounts?.length, 'mounts'],
    [own.network === 'bridge', 'network'],
    [own.fallback === 'unisolated', 'no-docker'],
  ];
  return given.filter(([yes]) => yes).map(([, what]) => what);
}

/** Undefined when the server runs as a plain process. */
export function isolationFor(server: ServerConfig, config: GatehouseConfig): IsolationSettings | undefined {
  if (serverKind(server) !== 'stdio') return undefined;
  const own = server.isolation;
  const global = config.isolation ?? {};
  const merged: IsolationConfig = typeof own === 'boolean' ? { ...global, enabled: own } : { ...global, ...(own ?? {}) };
  if (!merged.enabled) return undefined;
  if (isDockerCommand(server.command!, server.args)) return undefined;
  const image = merged.image ?? imageFor(server.command!, config.isolation?.images);
  if (!image) {
    throw new IsolationConfigError(
      `no image for command "${server.command}": set "isolation": { "image": "…" } for this server (Gatehouse picks one only for node/npx, python/uvx, deno and bun)`,
    );
  }
  return {
    image,
    memoryBytes: merged.memory ? parseSize(merged.memory) : undefined,
    cpus: merged.cpus,
    network: merged.network ?? 'none',
    mounts: (merged.mounts ?? []).map(parseMount),
    workdir: merged.workdir,
    readOnlyRootfs: merged.readOnlyRootfs ?? false,
    pidsLimit: merged.pidsLimit ?? 256,
    fallback: merged.fallback ?? 'none',
  };
}

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i.exec(text.trim())!;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}

/** "host[:container][:rw|:ro]" or { source, target?, readOnly? }: read-only unless said otherwise. */
function parseMount(mount: NonNullable<IsolationConfig['mounts']>[number]): Mount {
  if (typeof mount !== 'string') return { source: mount.source, target: mount.target ?? mount.source, readOnly: mount.readOnly ?? true };
  const parts = mount.split(':');
  const mode = parts.at(-1) === 'rw' || parts.at(-1) === 'ro' ? parts.pop() : undefined;
  return { source: parts[0], target: parts[1] ?? parts[0], readOnly: mode !== 'rw' };
}
