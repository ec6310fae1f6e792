// Property-based fuzzing of the config parser: whatever text or value it is given, it either returns a
// valid config or throws a ConfigError that says what is wrong — never anything else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText, validateConfig } from '../../src-main/core/config/index.js';

const name = fc.oneof(fc.string(), fc.constantFrom('constructor', '__proto__', 'toString', 'a__b', '', 'ok-name', '${keyring:x}'));
const entry = fc.record(
  {
    type: fc.oneof(fc.constantFrom('stdio', 'http', 'sse'), fc.anything()),
    command: fc.oneof(fc.string(), fc.anything()),
    args: fc.oneof(fc.array(fc.string()), fc.anything()),
    env: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.anything()),
    url: fc.oneof(fc.webUrl(), fc.string(), fc.anything()),
    headers: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.anything()),
    isolation: fc.oneof(fc.boolean(), fc.record({ enabled: fc.boolean(), mounts: fc.array(fc.string()) }), fc.anything()),
    enabled: fc.anything(),
  },
  { requiredKeys: [] },
);
const config = fc.record(
  { mode: fc.oneof(fc.constantFrom('search', 'direct'), fc.anything()), maxResultChars: fc.anything(), mcpServers: fc.oneof(fc.dictionary(name, entry), fc.anything()) },
  { requiredKeys: [] },
);

function onlyConfigErrors(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message.length).toBeGreaterThan(0);
  }
}

describe('config parser under fuzzing', () => {
  it('answers any text with a config or a ConfigError', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.constant('')), (text) => onlyConfigErrors(() => parseConfigText(text))), { numRuns: 500 });
  });

  it('answers any config-shaped value with a config or a ConfigError naming the problem', () => {
    fc.assert(
      fc.property(config, (value) =>
        onlyConfigErrors(() => {
          const parsed = validateConfig(value);
          // What it accepts is usable: every server has a way to start or be reached.
          for (const server of Object.values(parsed.mcpServers)) expect(Boolean(server.command) || Boolean(server.url)).toBe(true);
        }),
      ),
      { numRuns: 500 },
    );
  });
});
