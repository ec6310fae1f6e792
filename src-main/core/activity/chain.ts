// The hash chain that makes the activity log tamper-evident: each record's hash covers its own fields
// and the hash before it, so an edited, deleted or reordered record breaks the chain where it happened.
import { createHash } from 'node:crypto';
import type { StoredRecord } from './types.js';

export const GENESIS = '0'.repeat(64);

/** The fields a hash covers, in a fixed order (JSON of an array, so no key-order ambiguity). */
function canonical(r: Omit<StoredRecord, 'hash'>): string {
  return JSON.stringify([
    r.seq, r.at, r.kind, r.actor, r.client ?? null, r.session ?? null, r.server ?? null, r.tool ?? null, r.status ?? null,
    r.durationMs ?? null, r.rule ?? null, r.approval ?? null, r.arguments ?? null, r.result ?? null, r.error ?? null, r.detail ?? null, r.prevHash,
  ]);
}

export function hashRecord(r: Omit<StoredRecord, 'hash'>): string {
  return createHash('sha256').update(canonical(r)).digest('hex');
}
