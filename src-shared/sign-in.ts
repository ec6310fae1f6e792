// What a server's sign-in looks like to a person, in the CLI and the window.
export type SignInState = 'signed-out' | 'signing-in' | 'signed-in' | 'required';

export interface SignInStatus {
  server: string;
  state: SignInState;
  /** Why a person must sign in, and how. */
  reason?: string;
  /**
   * What the server wants when it is not plain: 'key' once it showed it offers no sign-in (it publishes no
   * OAuth metadata and serves no default endpoints), 'key-or-sign-in' while only the first is known.
   */
  wants?: 'key' | 'key-or-sign-in';
  /** Why the last sign-in failed. */
  lastError?: string;
  /** While signing in: the page the browser was sent to. */
  authorizationUrl?: string;
  scopes?: string[];
  /** When the access token expires (ms since epoch); it is refreshed before then. */
  expiresAt?: number;
  refreshable?: boolean;
  issuer?: string;
}

/** What a server waits for from a person, as words after its name ("needs …"). */
export function needed(s: SignInStatus): string {
  return s.wants === 'key' ? 'a key or token' : s.wants === 'key-or-sign-in' ? 'a key or a sign-in' : 'you to sign in';
}

/** A sign-in's state in a word or three, for a badge or a table. */
export function stateLabel(s: SignInStatus): string {
  if (s.state === 'signed-in') return 'signed in';
  if (s.state === 'signing-in') return 'waiting for the browser';
  if (s.wants === 'key') return 'key needed';
  if (s.state === 'required') return s.wants ? 'key or sign-in needed' : 'sign-in needed';
  return 'not signed in';
}

/**
 * A server's state as a person reads it: what one that waits for a person needs ("needs a key"), taking
 * what its sign-in says it wants; any other state as it is.
 */
export function serverStateWords(state: string, wants?: SignInStatus['wants']): string {
  if (state === 'needs-secret') return 'needs a secret';
  if (state !== 'needs-sign-in') return state;
  return wants === 'key' ? 'needs a key' : wants === 'key-or-sign-in' ? 'needs a key or sign-in' : 'needs sign-in';
}

/** What each server's sign-in says it wants, by server name, for the servers that say. */
export function wantsByServer(signIns: readonly SignInStatus[]): Map<string, NonNullable<SignInStatus['wants']>> {
  return new Map(signIns.flatMap((s) => (s.wants ? [[s.server, s.wants] as const] : [])));
}
