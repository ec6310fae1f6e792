// Settings that guard the person, in words: a config.json that turns one off (an edit by hand, or by a
// file-writing tool an agent uses) is said in the activity log, which otherwise lists only the servers.
import { retentionOf, type Retention } from '../../../src-shared/config/retention.js';
import type { GatehouseConfig } from '../../../src-shared/config/schema.js';

/** What the new config gives up that the old one kept, each in words; empty when nothing. */
export function protectionsGivenUp(before: GatehouseConfig, after: GatehouseConfig): string[] {
  const given: string[] = [];
  if (before.removeHiddenText && !after.removeHiddenText) given.push('hidden text is no longer taken out of what servers send back');
  if (before.readOnly && !after.readOnly) given.push('agents may add, change and remove servers again (read-only turned off)');
  if (before.disableManagement && !after.disableManagement) given.push("agents see the tool that manages servers again");
  const endpoint = after.telemetry?.otlpEndpoint;
  if (endpoint && endpoint !== before.telemetry?.otlpEndpoint) given.push(`traces of every request now go to ${endpoint}`);
  if ((before.secretStore ?? 'keychain') === 'keychain' && after.secretStore === 'encrypted-file') given.push('secrets are now kept in an encrypted file instead of the keychain');
  const [was, now] = [retentionOf(before.activity), retentionOf(after.activity)];
  const less = (Object.keys(was) as (keyof Retention)[]).filter((key) => now[key] < was[key]).map((key) => `${key} ${was[key].toLocaleString('en')} → ${now[key].toLocaleString('en')}`);
  if (less.length) given.push(`the activity log keeps less (${less.join(', ')})`);
  return given;
}
