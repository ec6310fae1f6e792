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
