import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src-shared/config/schema.js';
import { protectionsGivenUp } from './protections.js';

const config = (settings: object) => ConfigSchema.parse({ mcpServers: {}, ...settings });

describe('settings that guard the person', () => {
  it('names each one a change gives up, and nothing for one that keeps or adds them', () => {
    const guarded = config({ readOnly: true, disableManagement: true, telemetry: { otlpEndpoint: 'http://127.0.0.1:4318/v1/traces' } });
    expect(protectionsGivenUp(guarded, config({ removeHiddenText: false, secretStore: 'encrypted-file', telemetry: { otlpEndpoint: 'https://collector.example.net/v1/traces' } }))).toEqual([
      'hidden text is no longer taken out of what servers send back',
      'agents may add, change and remove servers again (read-only turned off)',
      'agents see the tool that manages servers again',
      'traces of every request now go to https://collector.example.net/v1/traces',
      'secrets are now kept in an encrypted file instead of the keychain',
    ]);
    expect(protectionsGivenUp(config({}), guarded)).toEqual(['traces of every request now go to http://127.0.0.1:4318/v1/traces']);
    expect(protectionsGivenUp(guarded, guarded)).toEqual([]);
  });

  it('counts a shorter activity log as given up, down to the floor no setting goes under; a longer one is not', () => {
    expect(protectionsGivenUp(config({}), config({ activity: { maxRecords: 20_000, maxAgeDays: 0.001 } }))).toEqual(['the activity log keeps less (maxAgeDays 90 → 1, maxRecords 1,000,000 → 20,000)']);
    expect(protectionsGivenUp(config({ activity: { maxMB: 100 } }), config({ activity: { maxMB: 1 } }))).toEqual(['the activity log keeps less (maxMB 100 → 64)']);
    // Already at the floor, a lower number keeps no less.
    expect(protectionsGivenUp(config({ activity: { maxRecords: 10_000 } }), config({ activity: { maxRecords: 5 } }))).toEqual([]);
    expect(protectionsGivenUp(config({ activity: { maxAgeDays: 7 } }), config({ activity: { maxAgeDays: 365 } }))).toEqual([]);
  });
});
