// What the activity log keeps. Every string in a record has been redacted (known secrets scrubbed) and cut
// before it gets here; a secret's value never reaches a record.

/** `read`: a resource an agent read or a prompt it got (`tool` holds the URI or the prompt's name). */
export type ActivityKind = 'call' | 'read' | 'server' | 'trust' | 'config' | 'admin' | 'signin';

/** Who did it: an agent (through a client), a person (in the window or on the command line), or Gatehouse itself. */
export type Actor = 'agent' | 'person:ui' | 'person:cli' | 'gatehouse';

/** A record as the core hands it over; the log numbers it and chains it. */
export interface ActivityInput {
  at: number;
  kind: ActivityKind;
  actor: Actor;
  client?: string;
  session?: string;
  server?: string;
  tool?: string;
  /** ok, error, denied, … for calls; the new state or decision otherwise. */
  status?: string;
  durationMs?: number;
  rule?: string;
  approval?: string;
  arguments?: string;
  result?: string;
  error?: string;
  /** What else a person needs to read the record (a decision's scope, a config change's servers). */
  detail?: string;
}

export interface StoredRecord extends ActivityInput {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ActivityFilter {
  kind?: ActivityKind;
  server?: string;
  tool?: string;
  client?: string;
  status?: string;
  since?: number;
  until?: number;
  /** Full-text search over tool names, arguments, results and errors. */
  text?: string;
  /** Records before this sequence number (paging backwards from the newest). */
  before?: number;
  limit?: number;
}

export { DEFAULT_RETENTION, type Retention } from '../../../src-shared/config/retention.js';

export interface ToolStats {
  server: string;
  tool: string;
  calls: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  lastAt: number;
}

export interface VerifyProblem {
  seq: number;
  problem: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  first?: number;
  last?: number;
  problems: VerifyProblem[];
}
