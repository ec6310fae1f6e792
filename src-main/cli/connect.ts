// `gatehouse connect <url>`: one remote MCP server as a stdio server, for an AI client configured with a
// command. It signs in as the gateway does (keychain, refresh, step-up), brings over a sign-in mcp-remote
// saved for the same URL, and stops cleanly on SIGINT/SIGTERM or when stdin ends.
import { readFileSync } from 'node:fs';
import { PLACEHOLDER_HELP, scanPlaceholders } from '../../src-shared/config/placeholders.js';
import {
  adoptMcpRemoteSignIn,
  assertSecureUrl,
  homePaths,
  KEYCHAIN_SERVICE,
  MissingSecrets,
  openSecretStore,
  resolveHome,
  resolvePlaceholders,
  runBridge,
  SignInSession,
  SignInStore,
  subjectFor,
} from '../core/index.js';
import { openInBrowser } from './browser.js';
import { CliError, note } from './output.js';

export interface ConnectCommandOptions {
  clientId?: string;
  clientSecret?: string;
  scope?: string;
  redirectPort?: number;
  clientMetadataUrl?: string;
  header?: string[];
  open: boolean;
}

/** RFC 9110's token: what a header's name may be made of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * `--header "Name: value"`, each as given, checked: a name a header may have, and placeholders of Gatehouse's
 * own syntax only (an unknown `${…}` would otherwise be sent as it is written).
 */
export function parseHeaders(given: string[]): Record<string, string> {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const line of given) {
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    if (!HEADER_NAME.test(name)) throw new CliError(`--header "${line.split(':')[0]}…" is not "Name: value" with a header name of letters, digits and -`);
    const value = line.slice(colon + 1).trim();
    const malformed = scanPlaceholders(value).malformed;
    if (malformed.length) throw new CliError(`--header ${name}: ${malformed[0]} is not a placeholder Gatehouse knows: ${PLACEHOLDER_HELP}`);
    headers[name] = value;
  }
  return headers;
}

/** A value given as is, or `env:VAR` to read it from the environment (so a secret stays off the command line). */
export function valueOf(given: string | undefined, what: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (given === undefined || !given.startsWith('env:')) return given;
  const name = given.slice(4);
  const value = env[name];
  if (!value) throw new CliError(`${what} names environment variable ${name}, which is not set`);
  return value;
}

/** The store the user chose in config.json, if any (the environment variable wins). */
function chosenStore(configFile: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.GATEHOUSE_SECRET_STORE) return env.GATEHOUSE_SECRET_STORE;
  try {
    return (JSON.parse(readFileSync(configFile, 'utf8')) as { secretStore?: string }).secretStore;
  } catch {
    return undefined;
  }
}

export async function connectRemote(target: string, o: ConnectCommandOptions): Promise<void> {
  let url: string;
  try {
    url = new URL(target).href;
    assertSecureUrl(url);
  } catch (err) {
    throw new CliError(`${target} is not a server address Gatehouse can reach: ${(err as Error).message}`);
  }
  const env = process.env;
  const paths = homePaths(resolveHome(env));
  const secrets = openSecretStore(chosenStore(paths.config, env), paths.signIns, env, `${KEYCHAIN_SERVICE} sign-ins`);
  const store = new SignInStore(() => secrets);
  // A secret in a header stays off the command line: ${env:NAME} or ${keyring:name}, filled in here.
  let headers: Record<string, string> | undefined;
  if (o.header?.length) {
    try {
      headers = (await resolvePlaceholders({ url, headers: parseHeaders(o.header) }, () => secrets, env)).config.headers;
    } catch (err) {
      if (err instanceof MissingSecrets) throw new CliError(`--header ${err.message}`);
      throw err;
    }
  }
  const subject = subjectFor('connect', url);
  const oauth = {
    clientId: valueOf(o.clientId, '--client-id'),
    clientSecret: valueOf(o.clientSecret, '--client-secret'),
    scopes: o.scope?.split(/[\s,]+/).filter(Boolean),
    redirectPort: o.redirectPort,
  };
  // A key given in an Authorization header is how this server is reached: no sign-in of its own, as for a
  // server in config.json with one.
  const keyed = Object.keys(headers ?? {}).some((h) => h.toLowerCase() === 'authorization');
  const session = keyed
    ? undefined
    : new SignInSession({
        subject,
        url,
        store,
        oauth: async () => oauth,
        clientMetadataUrl: () => o.clientMetadataUrl,
        howToSignIn: 'the next message opens the browser to sign in',
        howToGiveKey: 'which goes in a header: --header "Authorization: Bearer ${env:NAME}" (or ${keyring:name}, a secret set with `gatehouse secrets set name`)',
        onChange: () => undefined,
      });
  if (session && (await adoptMcpRemoteSignIn(store, subject, url, env).catch(() => false))) note(`Brought over the sign-in mcp-remote saved for ${url}; it is in the keychain now.`);
  const bridge = await runBridge({
    url,
    session,
    open: (page) => {
      const opened = o.open && openInBrowser(page);
      note(`${opened ? 'Opening' : 'Open'} this address to sign in to ${url}:\n  ${page}`);
    },
    input: process.stdin,
    output: process.stdout,
    log: note,
    ...(headers ? { headers } : {}),
  });
  const stop = () => void bridge.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await bridge.closed;
  process.exit(0);
}
