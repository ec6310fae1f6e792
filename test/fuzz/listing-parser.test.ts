// Property-based fuzzing of what `gatehouse scan` and the window's scanner.scan read: whatever text they
// are handed, they return definitions the scanner can read or a ListingError saying what to fix, never
// anything else; and every definition returned is scanned without a fault.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ListingError, parseListing, scanListing } from '../../src-main/core/security/index.js';

const name = fc.oneof(fc.string(), fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', ''));
const definition = fc.record(
  {
    name: fc.oneof(name, fc.anything()),
    description: fc.oneof(fc.string(), fc.anything()),
    inputSchema: fc.oneof(fc.record({ type: fc.constant('object'), properties: fc.dictionary(name, fc.anything()) }), fc.anything()),
    uriTemplate: fc.oneof(fc.string(), fc.anything()),
    arguments: fc.anything(),
  },
  { requiredKeys: [] },
);
const listing = fc.record(
  {
    server: fc.oneof(name, fc.anything()),
    tools: fc.oneof(fc.array(definition), fc.anything()),
    prompts: fc.oneof(fc.array(definition), fc.anything()),
    resourceTemplates: fc.oneof(fc.array(definition), fc.anything()),
    tool: fc.oneof(definition, fc.anything()),
    result: fc.anything(),
  },
  { requiredKeys: [] },
);

async function onlyListingErrors(text: string): Promise<void> {
  let entries;
  try {
    entries = parseListing(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ListingError);
    expect((err as Error).message.length).toBeGreaterThan(0);
    return;
  }
  expect(entries.length).toBeGreaterThan(0);
  const scanned = await scanListing(entries);
  expect(scanned.map((s) => s.name)).toEqual(entries.map((e) => e.definition.name));
}

describe('the listing parser under fuzzing', () => {
  it('scans a listing whose description is not a string, as data with no words (a case fuzzing found)', async () => {
    const records = [
      { server: '', tool: { name: 'constructor' } },
      { server: ' ', tool: { name: 'lookup', description: false } },
    ];
    await onlyListingErrors(JSON.stringify(records));
    await onlyListingErrors(records.map((r) => JSON.stringify(r)).join('\n'));
  });

  it('answers any text with definitions or a ListingError', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string(), fc.json()), onlyListingErrors), { numRuns: 300 });
  });

  it('answers any listing-shaped value, whole or as JSON Lines, with definitions or a ListingError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(listing, definition, fc.array(fc.oneof(listing, definition))), fc.boolean(), async (value, lines) => {
        const text = lines && Array.isArray(value) ? value.map((v) => JSON.stringify(v)).join('\n') : JSON.stringify(value);
        await onlyListingErrors(text);
      }),
      { numRuns: 300 },
    );
  });
});
