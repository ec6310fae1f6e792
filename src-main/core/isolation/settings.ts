// The isolation in force for one server: the global default merged with the server's own setting.
import type { GatehouseConfig, IsolationConfig, ServerConfig } from '../../../src-shared/config/schema.js';
import { serverKind } from '../../../src-shared/config/schema.js';
import { containerSettings } from '../../../src-shared/config/container.js';
import { dockerRunImage } from './image-ref.js';
import { DEFAULT_RUNTIME_IMAGES, imageFor, isDockerCommand, runtimeOf } from './runtimes.js';

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

export interface IsolationSettings {
  image: string;
  /** The runtime whose default image Gatehouse picked, when neither the entry nor config.json named one. */
  defaultFor?: string;
  memoryBytes?: number;
  cpus?: number;
  network: 'none' | 'bridge';
  /** With no network, the hosts it may still reach through Gatehouse's proxy (empty: none). */
  allowHosts: string[];
  /** With hosts allowed, the image of the relay between its network and the proxy: the images table's node row. */
  relayImage?: string;
  mounts: Mount[];
  workdir?: string;
  readOnlyRootfs: boolean;
  pidsLimit: number;
  fallback: 'none' | 'unisolated';
}

export class IsolationConfigError extends Error {}

/** The row of the images table whose image the relay of a container allowed some hosts runs in. */
export const RELAY_RUNTIME = 'node';

/** What a server's own isolation setting gives up of the container: each the person's to allow. */
export type Loosening = 'off' | 'mounts' | 'network' | 'egress' | 'no-docker';

export function looseningsOf(own: ServerConfig['isolation']): Loosening[] {
  if (own === false) return ['off'];
  if (typeof own !== 'object') return [];
  const given: [boolean, Loosening][] = [
    [own.enabled === false, 'off'],
    [!!own.mounts?.length, 'mounts'],
    [own.network === 'bridge', 'network'],
    [!!own.allowHosts?.length, 'egress'],
    [own.fallback === 'unisolated', 'no-docker'],
  ];
  return given.filter(([yes]) => yes).map(([, what]) => what);
}

/**
 * What the container in force gives up, as the person approves it: `no-container`, or the image it runs
 * (`image:…`; `image:` for one that cannot start for want of an image, which is still no less than a
 * container), each mount (`mount:source:target:ro|rw`), `network:bridge`, each host it may reach through
 * the proxy (`egress:host`) and `fallback:unisolated`.
 * Undefined for a server Gatehouse does not start (a remote one) and one whose command runs Docker itself.
 */
export function containerGivesUp(server: ServerConfig, config: GatehouseConfig): string[] | undefined {
  if (serverKind(server) !== 'stdio' || isDockerCommand(server.command!, server.args)) return undefined;
  let settings: IsolationSettings | undefined;
  try {
    settings = isolationFor(server, config);
  } catch (err) {
    if (err instanceof IsolationConfigError) return ['image:'];
    throw err;
  }
  if (!settings) return [NO_CONTAINER];
  return [
    settings.defaultFor ? `${DEFAULT_IMAGE}${settings.defaultFor}` : `image:${settings.image}`,
    ...settings.mounts.map((m) => `mount:${m.source}:${m.target}:${m.readOnly ? 'ro' : 'rw'}`),
    ...(settings.network === 'bridge' ? ['network:bridge'] : []),
    ...settings.allowHosts.map((host) => `egress:${host.toLowerCase()}`),
    ...(settings.fallback === 'unisolated' ? ['fallback:unisolated'] : []),
  ].sort();
}

const NO_CONTAINER = 'no-container';
/**
 * The image Gatehouse picks for a runtime, by the runtime's name: a release of Gatehouse that picks a newer
 * one does not send every server approved in the older back to review.
 */
const DEFAULT_IMAGE = 'image:default:';

/**
 * What a container gives up now that it did not when approved, in words; empty when nothing (a server
 * approved without a container can be given any).
 */
export function loosenedSince(approved: string[], now: string[]): string[] {
  if (approved.includes(NO_CONTAINER)) return [];
  // A folder given to read was given as much when it was given to change.
  const covered = (given: string) =>
    approved.includes(given) ||
    // Any host was given when the whole network was.
    (given.startsWith('egress:') && approved.includes('network:bridge')) ||
    (given.endsWith(':ro') && approved.includes(`${given.slice(0, -3)}:rw`)) ||
    // The default image named, or the image it stands for today (approved before defaults were named).
    approved.some((was) => sameImage(was, given) || sameImage(given, was));
  return now.filter((given) => !covered(given)).map(inWords);
}

/**
 * What a container approved as `approved` gives up once the image `from`, named by a tag, is named by the
 * digest it names now (`pinned`): the same list with the pinned image beside the tag, which it names no
 * more than. Undefined when the container did not run `from` (or Gatehouse's default, when `from` is it).
 */
export function withPinnedImage(approved: string[], from: string, pinned: string): string[] | undefined {
  const tag = `image:${from}`;
  const given = `image:${pinned}`;
  if (approved.includes(given) || !approved.some((was) => was === tag || sameImage(was, tag))) return undefined;
  return [...approved, given].sort();
}

/** Whether `named` is a runtime's default image and `image` that image as Gatehouse picks it now. */
function sameImage(named: string, image: string): boolean {
  return named.startsWith(DEFAULT_IMAGE) && image === `image:${DEFAULT_RUNTIME_IMAGES[named.slice(DEFAULT_IMAGE.length)] ?? ''}`;
}

function inWords(given: string): string {
  if (given === NO_CONTAINER) return 'it runs without a container';
  if (given === 'network:bridge') return 'the container gets network access';
  if (given.startsWith('egress:')) return `the container may reach ${given.slice('egress:'.length)}`;
  if (given === 'fallback:unisolated') return 'it runs without a container when Docker is not available';
  if (given.startsWith(DEFAULT_IMAGE)) {
    const runtime = given.slice(DEFAULT_IMAGE.length);
    return `it runs another image (Gatehouse's default for ${runtime}, ${DEFAULT_RUNTIME_IMAGES[runtime] ?? 'none'})`;
  }
  if (given.startsWith('image:')) return `it runs another image (${given.slice('image:'.length) || 'none'})`;
  const mount = /^mount:(.*):([^:]*):(ro|rw)$/s.exec(given);
  if (mount) return `the container gets your ${mount[1]}${mount[3] === 'ro' ? ', to read' : ', to read and change'}`;
  return given;
}

/** Undefined when the server runs as a plain process. */
export function isolationFor(server: ServerConfig, config: GatehouseConfig): IsolationSettings | undefined {
  if (serverKind(server) !== 'stdio') return undefined;
  const merged = containerSettings(server.isolation, config.isolation);
  if (!merged) return undefined;
  if (isDockerCommand(server.command!, server.args)) return undefined;
  const allowHosts = merged.allowHosts ?? [];
  if (allowHosts.length && merged.network === 'bridge') {
    throw new IsolationConfigError('"allowHosts" limits a container that has no network of its own, and "network": "bridge" gives it all: drop one of them');
  }
  const image = merged.image ?? imageFor(server.command!, config.isolation?.images);
  const row = imageRowOf(server, config);
  const defaultFor = row && !config.isolation?.images?.[row] ? row : undefined;
  if (!image) {
    throw new IsolationConfigError(
      `no image for command "${server.command}": set "isolation": { "image": "…" } for this server (Gatehouse picks one only for node/npx, python/uvx, deno and bun)`,
    );
  }
  return {
    image,
    ...(defaultFor ? { defaultFor } : {}),
    memoryBytes: merged.memory ? parseSize(merged.memory) : undefined,
    cpus: merged.cpus,
    network: merged.network ?? 'none',
    allowHosts,
    ...(allowHosts.length ? { relayImage: imageFor(RELAY_RUNTIME, config.isolation?.images) } : {}),
    mounts: (merged.mounts ?? []).map(parseMount),
    workdir: merged.workdir,
    readOnlyRootfs: merged.readOnlyRootfs ?? false,
    pidsLimit: merged.pidsLimit ?? 256,
    fallback: merged.fallback ?? 'none',
  };
}

/**
 * The runtime whose row of the images table names the image a server's container runs (Gatehouse's default
 * when config.json names none); undefined when its entry names its own image or it runs in no container.
 */
export function imageRowOf(server: ServerConfig, config: GatehouseConfig): string | undefined {
  if (serverKind(server) !== 'stdio' || isDockerCommand(server.command!, server.args)) return undefined;
  const merged = containerSettings(server.isolation, config.isolation);
  return merged && !merged.image ? runtimeOf(server.command!) : undefined;
}

/**
 * The image a command server runs in: the one its own `docker run` names (at `argIndex` of its arguments),
 * or its container's. Undefined when it runs in none; throws IsolationConfigError when its container has no image.
 */
export function serverImage(server: ServerConfig, config: GatehouseConfig): { image: string; argIndex?: number } | undefined {
  if (serverKind(server) !== 'stdio') return undefined;
  if (isDockerCommand(server.command!, server.args)) {
    const run = dockerRunImage(server.args ?? []);
    return run && { image: run.image, argIndex: run.index };
  }
  const settings = isolationFor(server, config);
  return settings && { image: settings.image };
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
