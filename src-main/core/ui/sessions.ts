// Who may use the window in a browser. `serve` (or `gatehouse ui`) hands out a one-time login code; the
// browser trades it for a session cookie (HttpOnly, SameSite=Strict), so no token sits in the address
// bar, the history or the page's scripts. Sessions live in memory: a restart asks for a new login.
import { createHash, randomBytes } from 'node:crypto';

const LOGIN_TTL_MS = 10 * 60_000;
const SESSION_IDLE_MS = 12 * 60 * 60_000;

/** Kept by hash, so a dump of memory or a timing difference in a map lookup gives nothing usable. */
function key(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

export class UiSessions {
  private readonly logins = new Map<string, number>();
  private readonly sessions = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A code good for one sign-in within ten minutes. */
  mintLogin(): string {
    this.sweep();
    const code = randomBytes(24).toString('base64url');
    this.logins.set(key(code), this.now() + LOGIN_TTL_MS);
    return code;
  }

  /** Trades a login code (once) for a new session id; undefined when the code is unknown, used or old. */
  redeem(code: string): string | undefined {
    const k = key(code);
    const expires = this.logins.get(k);
    this.logins.delete(k);
    if (expires === undefined || expires < this.now()) return undefined;
    const session = randomBytes(32).toString('base64url');
    this.sessions.set(key(session), this.now() + SESSION_IDLE_MS);
    return session;
  }

  /** True for a live session; using it keeps it alive. */
  check(session: string | undefined): boolean {
    if (!session) return false;
    const k = key(session);
    const expires = this.sessions.get(k);
    if (expires === undefined) return false;
    if (expires < this.now()) {
      this.sessions.delete(k);
      return false;
    }
    this.sessions.set(k, this.now() + SESSION_IDLE_MS);
    return true;
  }

  end(session: string | undefined): void {
    if (session) this.sessions.delete(key(session));
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, expires] of this.logins) if (expires < now) this.logins.delete(k);
    for (const [k, expires] of this.sessions) if (expires < now) this.sessions.delete(k);
  }
}
