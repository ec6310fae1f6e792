// The images table (config.json's `isolation.images` over Gatehouse's defaults) as a person sees it: each
// runtime's image, whether its digest names it, the servers whose containers run it, and those whose relay
// to Gatehouse's proxy does.
import type { GatehouseConfig } from '../../../src-shared/config/schema.js';
import { DEFAULT_RUNTIME_IMAGES, imageRowOf, isolationFor, IsolationConfigError, parseImageRef, RELAY_RUNTIME } from '../isolation/index.js';

export interface ImageRow {
  runtime: string;
  image: string;
  namedBy: 'config' | 'default';
  pinned: boolean;
  servers: string[];
  relays: string[];
}

export function imageRows(config: GatehouseConfig): ImageRow[] {
  const table = config.isolation?.images ?? {};
  const servers = new Map<string, string[]>();
  const relays: string[] = [];
  for (const [name, server] of Object.entries(config.mcpServers)) {
    const runtime = imageRowOf(server, config);
    if (runtime) servers.set(runtime, [...(servers.get(runtime) ?? []), name]);
    if (relayed(server, config)) relays.push(name);
  }
  return Object.keys(DEFAULT_RUNTIME_IMAGES).map((runtime) => {
    const named = Object.hasOwn(table, runtime);
    const image = named ? table[runtime]! : DEFAULT_RUNTIME_IMAGES[runtime]!;
    return { runtime, image, namedBy: named ? 'config' : 'default', pinned: !!parseImageRef(image).digest, servers: servers.get(runtime) ?? [], relays: runtime === RELAY_RUNTIME ? relays : [] };
  });
}

/** Whether the server's container reaches its allowed hosts through a relay (which runs in RELAY_RUNTIME's row). */
function relayed(server: GatehouseConfig['mcpServers'][string], config: GatehouseConfig): boolean {
  try {
    return !!isolationFor(server, config)?.relayImage;
  } catch (err) {
    if (err instanceof IsolationConfigError) return false;
    throw err;
  }
}

/**
 * Writes `image` as the runtime's row of the raw config's images table; with `from`, throws `changed` when
 * the row no longer names it (config.json was edited meanwhile).
 */
export function withImageRow(runtime: string, image: string, from?: { image: string; changed: () => Error }): (raw: Record<string, unknown>) => void {
  return (raw) => {
    const plain = (value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);
    const isolation = plain(raw.isolation) ?? {};
    const images = plain(isolation.images) ?? {};
    const now = Object.hasOwn(images, runtime) ? images[runtime] : DEFAULT_RUNTIME_IMAGES[runtime];
    if (from && now !== from.image) throw from.changed();
    raw.isolation = { ...isolation, images: { ...images, [runtime]: image } };
  };
}
