// `gatehouse auth …`: signing servers in (OAuth 2.1), out, and what a sign-in holds. The sign-in itself
// runs where the core runs (the running Gatehouse, or this process): this command opens the browser on
// the address it is given and waits for the answer.
import type { ApiClient } from '../../src-shared/api/index.js';
import { stateLabel, type SignInStatus } from '../../src-shared/sign-in.js';
import { withApi, type ConnectOptions } from './api.js';
import { openInBrowser } from './browser.js';
import { CliError, note, print, printJson, table } from './output.js';

type Common = ConnectOptions & { json?: boolean };

/** Long enough for the loopback listener's own five minutes to end the wait first. */
const WAIT_MS = 5 * 60_000 + 10_000;

export async function login(name: string, options: Common & { open: boolean }): Promise<void> {
  await withApi(options, async (api) => {
    const started = await api.call('auth.login', { name });
    if (started.authorizationUrl) {
      const opened = options.open && openInBrowser(started.authorizationUrl);
      note(`${opened ? 'Opening' : 'Open'} this address to sign in to "${name}":\n  ${started.authorizationUrl}\nWaiting for the browser (up to 5 minutes)…`);
    }
    const status = await finished(api, name);
    if (options.json) printJson(status);
    if (status.state !== 'signed-in') throw new CliError(`Signing in to "${name}" failed: ${status.lastError ?? status.reason ?? status.state}`);
    if (!options.json) print(`Signed in to "${name}"${describe(status)}.`);
  });
}

async function finished(api: ApiClient, name: string): Promise<SignInStatus> {
  const until = Date.now() + WAIT_MS;
  while (Date.now() < until) {
    const [status] = (await api.call('auth.status', { name })).signIns;
    if (status && status.state !== 'signing-in') return status;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new CliError(`no answer from the sign-in of "${name}" in time`);
}

export async function logout(name: string, options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const { signIn } = await api.call('auth.logout', { name });
    if (options.json) return printJson(signIn);
    print(`Signed out of "${name}": its tokens are gone from the keychain.`);
  });
}

export async function authStatus(name: string | undefined, options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const { signIns } = await api.call('auth.status', name ? { name } : {});
    if (options.json) return printJson(signIns);
    if (!signIns.length) return print(name ? `"${name}" does not sign in (stdio, or it sends its own Authorization header).` : 'No server signs in.');
    print(
      table(
        signIns.map((s) => ({
          server: s.server,
          state: stateLabel(s),
          scopes: s.scopes?.join(' ') ?? '',
          expires: s.expiresAt ? `${new Date(s.expiresAt).toLocaleString()}${s.refreshable ? ' (refreshed)' : ''}` : '',
          note: s.reason ?? s.lastError ?? '',
        })),
        ['server', 'state', 'scopes', 'expires', 'note'],
      ),
    );
  });
}

function describe(s: SignInStatus): string {
  const parts = [s.scopes?.length ? `scopes ${s.scopes.join(' ')}` : '', s.expiresAt ? `token refreshed before ${new Date(s.expiresAt).toLocaleTimeString()}` : ''];
  const text = parts.filter(Boolean).join('; ');
  return text ? ` (${text})` : '';
}
