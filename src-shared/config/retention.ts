// How much of the activity log is kept: config.json's `activity` bounds over the defaults, each held to a
// floor. The log is the record of what agents did; a file-writing tool an agent uses can edit config.json,
// so no edit can have the log forget the last day or the last ten thousand records.

export interface Retention {
  maxAgeDays: number;
  maxRecords: number;
  maxMB: number;
}

export const DEFAULT_RETENTION: Retention = { maxAgeDays: 90, maxRecords: 1_000_000, maxMB: 512 };

/** The least any setting keeps: a day, ten thousand records (at most 4 KB each, so 64 MB). */
export const RETENTION_FLOOR: Retention = { maxAgeDays: 1, maxRecords: 10_000, maxMB: 64 };

/** The retention in force for config.json's `activity` setting. */
export function retentionOf(configured: Partial<Retention> = {}): Retention {
  const bound = (key: keyof Retention) => Math.max(configured[key] ?? DEFAULT_RETENTION[key], RETENTION_FLOOR[key]);
  return { maxAgeDays: bound('maxAgeDays'), maxRecords: bound('maxRecords'), maxMB: bound('maxMB') };
}
