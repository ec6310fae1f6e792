// The scanner's findings on a listing's definitions, kept while the listing is: a review page is read again
// and again, and whether a static resource reaches clients depends on them. A server lists afresh on every
// change it announces, mostly the same definitions: each distinct one is read once, by its pin's hash,
// however many listings carry it.
import type { ServerCatalog } from '../../../src-shared/catalog.js';
import { hashItem, hashTool, pinnedItem, type ItemDefinition } from './pins.js';
import { inSlices } from './slices.js';
import { flagged, scanDefinition, scanTool, type Finding } from './scanner/index.js';

const scanned = new WeakMap<object, Finding[]>();
const byContent = new Map<string, Finding[]>();
const MOST_REMEMBERED = 50_000;

/** Findings kept with the object they are of (and, given its content's hash, with that content). */
export function scannedOnce(definition: object, scan: () => Finding[], contentHash?: () => string): Finding[] {
  let findings = scanned.get(definition);
  if (findings) return findings;
  const hash = contentHash?.();
  findings = hash === undefined ? undefined : byContent.get(hash);
  if (!findings) {
    findings = scan();
    if (hash !== undefined) {
      if (byContent.size >= MOST_REMEMBERED) byContent.clear();
      byContent.set(hash, findings);
    }
  }
  scanned.set(definition, findings);
  return findings;
}

export const toolFindings = (tool: ServerCatalog['tools'][number]) => scannedOnce(tool, () => scanTool(tool), () => hashTool(tool));
export const itemFindings = (item: ItemDefinition) => scannedOnce(item, () => scanDefinition(pinnedItem(item)), () => hashItem(item));

/**
 * Whether the scanner flags a listed item, if it has read it yet; undefined when it has not (a listing of
 * thousands is read a slice at a time, see `scanAhead`).
 */
export function flaggedIfScanned(item: ItemDefinition): boolean | undefined {
  const findings = scanned.get(item);
  return findings && flagged(findings);
}

/**
 * Scans a listing's definitions ahead of its review, giving way to other work every few milliseconds: a
 * server may list thousands of tools. The review then finds each definition's findings ready.
 */
export async function scanAhead(catalog: ServerCatalog | undefined): Promise<void> {
  if (!catalog) return;
  await inSlices([
    ...catalog.tools.map((t) => () => toolFindings(t)),
    ...catalog.prompts.map((p) => () => itemFindings(p)),
    ...catalog.resourceTemplates.map((t) => () => itemFindings(t)),
    ...catalog.resources.map((r) => () => itemFindings(r)),
  ]);
}

/**
 * Scans a listing's static resources only (what clients' resource lists wait for); with `wanted`, stops
 * once it says the listing is no longer wanted (the server listed them again meanwhile).
 */
export async function scanResources(catalog: ServerCatalog | undefined, wanted?: () => boolean): Promise<void> {
  if (catalog?.resources.length) await inSlices(catalog.resources.map((r) => () => itemFindings(r)), wanted);
}
