// Walks the chain in order and names each break: a record whose contents no longer match its hash
// (edited, or moved to another place), a gap (deleted), a link to the wrong predecessor (reordered or
// replaced), records cut from the start other than by retention, and a tail cut after the last head.
import { GENESIS, hashRecord } from './chain.js';
import type { StoredRecord, VerifyProblem, VerifyResult } from './types.js';

export interface ChainHead {
  seq: number;
  hash: string;
}

export function verifyChain(records: Iterable<StoredRecord>, anchor: { seq: number; prevHash: string } | undefined, head: ChainHead | undefined): VerifyResult {
  const problems: VerifyProblem[] = [];
  let previous: StoredRecord | undefined;
  let checked = 0;
  let first: number | undefined;
  for (const r of records) {
    checked++;
    if (!previous) {
      first = r.seq;
      const start = anchor ?? { seq: 1, prevHash: GENESIS };
      if (r.seq !== start.seq || r.prevHash !== start.prevHash) {
        problems.push({ seq: r.seq, problem: r.seq > start.seq ? `records ${start.seq}–${r.seq - 1} at the start were deleted (not by retention)` : `record ${r.seq} does not start the chain where retention left it` });
      }
    } else if (r.seq !== previous.seq + 1) {
      problems.push({ seq: previous.seq + 1, problem: r.seq - previous.seq === 2 ? `record ${previous.seq + 1} was deleted` : `records ${previous.seq + 1}–${r.seq - 1} were deleted` });
    } else if (r.prevHash !== previous.hash) {
      problems.push({ seq: r.seq, problem: `record ${r.seq} does not follow record ${previous.seq}: reordered or replaced` });
    }
    if (hashRecord(r) !== r.hash) problems.push({ seq: r.seq, problem: `record ${r.seq} was changed (its contents no longer match its hash)` });
    previous = r;
  }
  if (head && head.seq > 0) {
    if (!previous || previous.seq < head.seq) {
      const from = (previous?.seq ?? 0) + 1;
      problems.push({ seq: from, problem: `records ${from}–${head.seq} at the end were deleted (the chain's head outside the database says ${head.seq})` });
    }
  }
  return { ok: problems.length === 0, checked, first, last: previous?.seq, problems };
}
