// Trust as a person sees it: a server's standing (quarantined until approved), each tool's standing
// against its pinned definition, and the per-call policy. Approvals live in Gatehouse's own state,
// never in config.json.
import { counted } from './counted.js';

export type ServerTrust = 'quarantined' | 'approved' | 'blocked';

/**
 * A tool's standing: `approved` (matches its pin), `pending` (new, never approved), `changed` (differs
 * from the approved pin: blocked until a person approves the change), `blocked` (a person blocked it).
 */
export type ToolTrust = 'approved' | 'pending' | 'changed' | 'blocked';

/** What happens when an agent calls a tool. */
export type CallRule = 'allow' | 'ask' | 'deny';

/** Who put a server into config.json, as far as Gatehouse can tell. */
export type ServerOrigin = 'config' | 'person' | 'agent';

/** An item under review as its standing and the severities of the scanner's findings on it. */
interface Reviewed {
  trust: ToolTrust;
  findings: readonly { severity: string }[];
}

/** Whether the scanner flags an item: a low finding is shown but does not flag it. */
export function flaggedItem(item: Pick<Reviewed, 'findings'>): boolean {
  return item.findings.some((f) => f.severity !== 'low');
}

/** Whether an item waits for a person: new, or changed since it was approved. */
export function waitsForReview(item: Pick<Reviewed, 'trust'>): boolean {
  return item.trust === 'pending' || item.trust === 'changed';
}

type Named = Reviewed & { name: string };

/**
 * What "approve all but the flagged" approves of a review: each kind's waiting items the scanner did not
 * flag, a kind with none left out (the flagged stay pending, out of agents' reach).
 */
export function allButFlagged(review: {
  tools: readonly Named[];
  prompts: readonly Named[];
  resourceTemplates: readonly Named[];
  instructions?: Pick<Reviewed, 'trust' | 'findings'>;
}): { tools?: string[]; prompts?: string[]; resourceTemplates?: string[]; instructions?: boolean } {
  const names = (items: readonly Named[]) => items.filter((i) => waitsForReview(i) && !flaggedItem(i)).map((i) => i.name);
  const out: { tools?: string[]; prompts?: string[]; resourceTemplates?: string[]; instructions?: boolean } = {};
  for (const kind of ['tools', 'prompts', 'resourceTemplates'] as const) {
    const picked = names(review[kind]);
    if (picked.length) out[kind] = picked;
  }
  if (review.instructions && waitsForReview(review.instructions)) out.instructions = !flaggedItem(review.instructions);
  return out;
}

/** "3 definitions (2 tools, 1 prompt)": what a scan of handed-over definitions read. */
export function definitionsCounted(items: readonly { kind: 'tool' | 'prompt' | 'template' | 'resource' }[]): string {
  const kinds = (
    [
      ['tool', 'tool'],
      ['prompt', 'prompt'],
      ['template', 'resource template'],
      ['resource', 'resource'],
    ] as const
  )
    .map(([kind, noun]) => [items.filter((i) => i.kind === kind).length, noun] as const)
    .filter(([n]) => n > 0)
    .map(([n, noun]) => counted(n, noun));
  return `${counted(items.length, 'definition')} (${kinds.join(', ')})`;
}

/** Of one string a server sent, what a review shows before a person asks for the rest: a server can send megabytes. */
export const TEXT_SHOWN_AT_FIRST = 20_000;

/** What needs a person first in a review: flagged by the scanner, then changed, then new, then decided. */
function reviewUrgency(item: Reviewed): number {
  if (flaggedItem(item)) return 0;
  if (item.trust === 'changed') return 1;
  if (item.trust === 'pending') return 2;
  return 3;
}

/** A server's items in the order a person reviews them: by urgency, the server's own order within each. */
export function reviewOrder<T extends Reviewed>(items: readonly T[]): T[] {
  return items
    .map((item, at) => ({ item, at, rank: reviewUrgency(item) }))
    .sort((a, b) => a.rank - b.rank || a.at - b.at)
    .map((x) => x.item);
}

/** What the window and the desktop app title a `trustFileProblem` record's notice. */
export const TRUST_FILE_PROBLEM_TITLE = "Gatehouse's trust file was changed outside it";

/**
 * The activity record Gatehouse writes when its trust file (state/trust.json) could not be read or
 * believed: changed outside Gatehouse, or broken. A person should hear of it at once.
 */
export function trustFileProblem(record: { kind: string; actor: string; status?: string }): boolean {
  return record.kind === 'trust' && record.actor === 'gatehouse' && record.status === 'invalid';
}

/** What the window and the desktop app title an `activityLogCut` record's notice. */
export const ACTIVITY_LOG_CUT_TITLE = "Gatehouse's activity log was cut short outside it";

/**
 * The activity record Gatehouse writes when its activity log holds fewer records than it had written (the
 * keychain keeps how far it had got): emptied or cut short outside Gatehouse. Its detail says which.
 */
export function activityLogCut(record: { kind: string; actor: string; status?: string }): boolean {
  return record.kind === 'admin' && record.actor === 'gatehouse' && record.status === 'cut';
}

/** What the window and the desktop app title a `protectionsGivenUp` record's notice. */
export const PROTECTIONS_GIVEN_UP_TITLE = 'A setting that guards you was turned off in config.json';

/**
 * The activity record of a config change that gave up a setting that guards the person (taking hidden text
 * out, read-only management, …): made by hand or by a file-writing tool, a person should hear of it at
 * once. Its detail ends with what was given up.
 */
export function protectionsGivenUp(record: { kind: string; actor: string; status?: string }): boolean {
  return record.kind === 'config' && record.actor === 'gatehouse' && record.status === 'weakened';
}

/** What a `protectionsGivenUp` record says was given up, as a sentence. */
export function givenUpIn(detail: string | undefined): string {
  const at = detail?.indexOf(GIVEN_UP) ?? -1;
  const said = at < 0 ? (detail ?? '') : detail!.slice(at + GIVEN_UP.length);
  return said ? `${said[0]!.toUpperCase()}${said.slice(1)}.` : said;
}

/** How a config record's detail names what the change gave up. */
export const GIVEN_UP = 'given up: ';
