// Query expansion: words agents use for the same thing in tool descriptions (a folder is a directory, a
// web page a URL, to forget is to delete). Each query word also looks for the others in its group, at
// a lower weight. General computing vocabulary only — nothing about particular tools or servers.
import { tokenize } from './tokenize.js';

const GROUPS = [
  'folder directory dir',
  'file document',
  'page website site url webpage',
  'open navigate visit browse load',
  'delete remove forget erase clear',
  'create make new add',
  'remember store save memorize record persist',
  'find search lookup locate query',
  'read view show display get',
  'list enumerate',
  'edit modify change update replace',
  'move rename relocate',
  'picture image photo screenshot',
  'click press tap',
  'type enter input fill',
  'run execute evaluate exec',
  'structure tree hierarchy',
  'person people entity',
  'fact observation note',
  'relationship relation connection',
  'error warning log console',
  'request network http traffic',
  'compress gzip zip',
  'window viewport',
  'environment env variable',
  'recursive nested',
  'sum total plus',
  'email mail message',
  'calendar event meeting appointment',
  'weather forecast',
  'stock share ticker',
  'translate translation',
  'summarize summary',
  'download fetch retrieve',
  'upload attach',
  'repository repo',
  'issue ticket bug',
];

const groupOf = new Map<string, string[]>();
for (const group of GROUPS) {
  const terms = [...new Set(group.split(' ').flatMap((w) => tokenize(w)))];
  for (const t of terms) groupOf.set(t, [...new Set([...(groupOf.get(t) ?? []), ...terms.filter((x) => x !== t)])]);
}

export const EXPANSION_WEIGHT = 0.4;

/** The query's own terms (weight 1) and their synonyms (a lower weight), each term once. */
export function expandQuery(terms: string[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const t of terms) weights.set(t, 1);
  for (const t of terms) {
    for (const s of groupOf.get(t) ?? []) if (!weights.has(s)) weights.set(s, EXPANSION_WEIGHT);
  }
  return weights;
}
