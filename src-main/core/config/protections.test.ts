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
});
