// What a server's state looks like to a person, in the CLI and (later) the UI.
export type ServerState = 'disabled' | 'idle' | 'connecting' | 'ready' | 'error' | 'needs-secret' | 'needs-sign-in';

export interface ServerStatus {
  name: string;
  state: ServerState;
  /** What went wrong and what to do about it, when state is `error`, `needs-secret` or `needs-sign-in`. */
  reason?: string;
  transport: 'stdio' | 'http' | 'sse' | 'vault';
  toolCount: number;
  /** When the tool list was last fetched from the server (ms since epoch). */
  catalogAt?: number;
  /** After a crash: when the next start may happen (ms since epoch). */
  retryAt?: number;
}
