// What one client may see when it is limited to some servers (a profile): the same questions as
// Visibility, answered as if the other servers were not there — in lists, search, lookups and calls.
import { parseToolId } from '../../../src-shared/ids.js';
import type { Visibility } from './visibility.js';

/** The part of Visibility an agent's requests go through. */
export type VisibleSet = Pick<
  Visibility,
  | 'isVisible'
  | 'servers'
  | 'usableTools'
  | 'prompts'
  | 'resourceTemplates'
  | 'resources'
  | 'resourceUnavailable'
  | 'promptUnavailable'
  | 'usableTool'
  | 'tools'
  | 'find'
  | 'idsNamed'
  | 'allIds'
  | 'unavailable'
  | 'search'
  | 'searchStatus'
  | 'catalogued'
  | 'listIfNew'
>;

/** `all` narrowed to the servers `allow` lets through (asked each time, so a changed profile applies at once). */
export function scopedVisibility(all: VisibleSet, allow: (server: string) => boolean): VisibleSet {
  return {
    isVisible: (s) => allow(s) && all.isVisible(s),
    servers: () => all.servers().filter(allow),
    usableTools: (s) => (allow(s) ? all.usableTools(s) : []),
    prompts: (s) => (allow(s) ? all.prompts(s) : []),
    resourceTemplates: (s) => (allow(s) ? all.resourceTemplates(s) : []),
    resources: async (s) => (allow(s) ? all.resources(s) : []),
    resourceUnavailable: (s, uri) => all.resourceUnavailable(s, uri),
    promptUnavailable: (s, name) => (allow(s) ? all.promptUnavailable(s, name) : `no prompt "${name}"`),
    usableTool: (s, name) => (allow(s) ? all.usableTool(s, name) : undefined),
    tools: (server) => all.tools(server).filter((t) => allow(t.server)),
    find: (id) => {
      const found = all.find(id);
      return found && allow(found.server) ? found : undefined;
    },
    idsNamed: (name) => all.idsNamed(name).filter((t) => allow(t.server)),
    allIds: () => all.allIds().filter((id) => allow(parseToolId(id)?.server ?? '')),
    // Another server's standing is not this client's business: it is simply not there.
    unavailable: (s, tool) => (allow(s) ? all.unavailable(s, tool) : undefined),
    search: async (query, limit = 10) => {
      const hits = await all.search(query, Math.max(limit * 5, 50));
      return hits.filter((h) => allow(h.server)).slice(0, limit);
    },
    searchStatus: () => all.searchStatus(),
    catalogued: () => all.catalogued(),
    listIfNew: (s) => (allow(s) ? all.listIfNew(s) : undefined),
  };
}
