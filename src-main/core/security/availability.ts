// Why an agent may not use a server or one of its tools, in words the agent can pass on to its user.
import type { ToolDefinition } from '../../../src-shared/catalog.js';
import type { ServerConfig } from '../../../src-shared/config/schema.js';
import type { ToolTrust } from '../../../src-shared/trust.js';
import { itemKey, type ItemDefinition, type ItemKind } from './pins.js';
import type { TrustStore } from './trust-store.js';

export function unavailableReason(trust: TrustStore, server: string, config: ServerConfig, tool?: ToolDefinition): string | undefined {
  const standing = trust.serverTrust(server);
  if (standing === 'quarantined') return `Server "${server}" is quarantined, awaiting approval in Gatehouse: a person must review and approve it before its tools can be used.`;
  if (standing === 'blocked') return `Server "${server}" is blocked in Gatehouse.`;
  if (config.enabled === false) return `Server "${server}" is disabled in Gatehouse.`;
  if (!tool) return undefined;
  return standingReason(`Tool "${tool.name}" of "${server}"`, trust.toolStanding(server, tool).trust, 'blocked');
}

const ITEM_NOUN: Record<ItemKind, string> = { prompt: 'Prompt', template: 'Resource template', resource: 'Resource' };

/** Why an agent may not use a prompt, resource template or resource of a visible server; undefined when it may. */
export function itemUnavailableReason(trust: TrustStore, server: string, kind: ItemKind, item: ItemDefinition): string | undefined {
  const standing = trust.itemStanding(server, kind, item).trust;
  const what = `${ITEM_NOUN[kind]} "${itemKey(kind, item)}" of "${server}"`;
  // A resource waits only while the scanner flags it: it is data, never "new, awaiting approval".
  if (kind === 'resource' && standing === 'pending') return `${what} is held back: the poisoning scanner flagged its description, and a person has not let it through in Gatehouse.`;
  return standingReason(what, standing, 'held back');
}

function standingReason(what: string, standing: ToolTrust, withheld: 'blocked' | 'held back'): string | undefined {
  switch (standing) {
    case 'changed':
      return `${what} changed since it was approved, and is ${withheld} until a person approves the change in Gatehouse.`;
    case 'pending':
      return `${what} is new, awaiting approval in Gatehouse.`;
    case 'blocked':
      return `${what} is blocked in Gatehouse.`;
    default:
      return undefined;
  }
}
