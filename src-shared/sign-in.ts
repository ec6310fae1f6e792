// What a server's sign-in looks like to a person, in the CLI and the window.
export type SignInState = 'signed-out' | 'signing-in' | 'signed-in' | 'required';

export interface SignInStatus {
  server: string;
  state: SignInState;
  /** Why a person must sign in, and how. */
  reason?: string;
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
