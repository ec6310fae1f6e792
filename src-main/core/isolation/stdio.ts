// How a stdio server is started when isolation is on: in a container, or — only when its config allows
// it and Docker is missing — as a local process after all.
import type { Transport } from '@modelcontextprotocol/client';
import type { GatehouseConfig } from '../../../src-shared/config/schema.js';
import { placeholdersOf } from '../secrets/index.js';
import { createStdioTransport, type TransportRequest } from '../upstream/index.js';
import { IsolationUnavailable, type Isolation } from './isolation.js';
import { isolationFor } from './settings.js';

export interface IsolatedStdioDeps {
  isolation: () => Isolation;
  config: () => GatehouseConfig;
  /** A note in the server's log (e.g. that it runs unisolated). */
  note: (server: string, text: string) => void;
}

export function isolatedStdio(deps: IsolatedStdioDeps): (request: TransportRequest) => Promise<Transport> {
  return async ({ name, config, resolved, hooks, maxMessageBytes }) => {
    const settings = isolationFor(config, deps.config());
    if (!settings) return createStdioTransport(resolved, hooks, maxMessageBytes);
    if (placeholdersOf({ args: config.args }).length) {
      throw new IsolationUnavailable('a secret in "args" would show on the container\'s command line: pass it in "env" instead');
    }
    try {
      return await deps.isolation().transport(name, resolved.command!, resolved.args ?? [], resolved.env ?? {}, settings, { ...hooks, maxMessageBytes });
    } catch (err) {
      if (!(err instanceof IsolationUnavailable && err.reason === 'engine' && settings.fallback === 'unisolated')) throw err;
      deps.note(name, `${err.message} Running it unisolated, as its config allows.`);
      return createStdioTransport(resolved, hooks, maxMessageBytes);
    }
  };
}

/** Does any server run in a container (so leftovers of a crashed run are worth looking for)? */
export function usesIsolation(config: GatehouseConfig): boolean {
  return Object.values(config.mcpServers).some((s) => {
    try {
      return isolationFor(s, config) !== undefined;
    } catch {
      return true;
    }
  });
}
