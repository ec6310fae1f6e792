// How a server's state and trust look everywhere in the window, and what a person can do about a state.
import { Badge } from '@mantine/core';
import type { z } from 'zod';
import type { ServerInfoSchema } from '../../src-shared/api/index.js';
import { serverStateWords, type SignInStatus } from '../../src-shared/sign-in.js';

type ServerInfo = z.output<typeof ServerInfoSchema>;

const STATE_COLOR: Record<ServerInfo['state'], string> = {
  ready: 'green',
  idle: 'gray',
  connecting: 'blue',
  error: 'red',
  'needs-secret': 'orange',
  'needs-sign-in': 'orange',
  disabled: 'gray',
};

const TRUST_COLOR: Record<ServerInfo['trust'], string> = { approved: 'teal', quarantined: 'yellow', blocked: 'red' };
const TOOL_TRUST_COLOR = { approved: 'teal', pending: 'yellow', changed: 'orange', blocked: 'red' } as const;

/** What a server that waits for a person to sign in wants instead, when its sign-in says (a key). */
type Wants = SignInStatus['wants'];

export function StateBadge({ state, wants }: { state: ServerInfo['state']; wants?: Wants }) {
  return (
    <Badge color={STATE_COLOR[state]} variant={state === 'disabled' ? 'outline' : 'light'}>
      {serverStateWords(state, wants)}
    </Badge>
  );
}

export function TrustBadge({ trust }: { trust: ServerInfo['trust'] }) {
  return (
    <Badge color={TRUST_COLOR[trust]} variant="light">
      {trust}
    </Badge>
  );
}

/** `pending` reads "new", or for a flagged resource (which is waited on for what it says, not for being new) "held back". */
export function ToolTrustBadge({ trust, pending = 'new' }: { trust: keyof typeof TOOL_TRUST_COLOR; pending?: string }) {
  return (
    <Badge color={TOOL_TRUST_COLOR[trust]} variant="light">
      {trust === 'pending' ? pending : trust}
    </Badge>
  );
}

// A header's value typed into an entry is moved into the secret store when it is saved.
const KEY_FIX = 'Give it its key: Edit, and add "headers": { "Authorization": "Bearer <the key>" } to its entry. The key is kept in the secret store, not config.json.';

/** What to do about a state, beside the reason the core gave. */
export function fixFor(server: Pick<ServerInfo, 'state' | 'trust' | 'attention' | 'transport'>, wants?: Wants): string | undefined {
  if (server.trust === 'quarantined') return 'Review what it will run and its tools, then approve it (Review page).';
  if (server.trust === 'blocked') return 'Blocked by you: approve it on the Review page to use it again.';
  switch (server.state) {
    case 'error':
      return server.transport === 'stdio'
        ? 'Read its log below; fix the command, arguments or environment (Edit), then Restart.'
        : 'Check the URL and that the server is up; fix it (Edit), then Restart.';
    case 'needs-secret':
      return 'Set the missing secret on the Secrets page; the server starts on its next use.';
    case 'needs-sign-in':
      if (wants === 'key') return KEY_FIX;
      if (wants === 'key-or-sign-in') return `Sign in below. If it offers no sign-in: ${KEY_FIX[0].toLowerCase()}${KEY_FIX.slice(1)}`;
      return 'Sign in below: your browser opens the server’s sign-in page. Its tools come back once you are signed in.';
    case 'disabled':
      return 'Enable it to let agents use its tools.';
    case 'idle':
      return server.attention > 0 ? 'Some tools changed: review them.' : 'Starts on its first use (or Restart to start it now).';
    default:
      return server.attention > 0 ? 'Some of what it lists is new, changed since you approved it, or flagged by the scanner: review it.' : undefined;
  }
}

export type { ServerInfo };
