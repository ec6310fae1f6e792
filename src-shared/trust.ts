// Trust as a person sees it: a server's standing (quarantined until approved), each tool's standing
// against its pinned definition, and the per-call policy. Approvals live in Gatehouse's own state,
// never in config.json.

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
