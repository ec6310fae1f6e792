// `gatehouse connect <url>`: one remote MCP server as a stdio server, for an AI client configured with a
// command. It signs in as the gateway does (keychain, refresh, step-up), brings over a sign-in mcp-remote
// saved for the same URL, and stops cleanly on SIGINT/SIGTERM or when stdin ends.
import { readFileSync } from 'node:fs';
import { adoptMcpRemoteSignIn, assertSecureUrl, homePaths, KEYCHAIN_SERVICE, openSecretStore, resolveHome, runBridge, SignInSession, SignInStore, subjectFor } from '../core/index.js';
import { openInBrowser } from './browser.js';
import { CliError, note } from './output.js';

export interface ConnectCommandOptions {
  clientId?: string;
  clientSecret?: string;
  scope?: string;
  redirectPort?: number;
  clientMetadataUrl?: string;
  open: boolean;
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
  const subject = subjectFor('connect', url);
  const oauth = {
    clientId: valueOf(o.clientId, '--client-id'),
    clientSecret: valueOf(o.clientSecret, '--client-secret'),
    scopes: o.scope?.split(/[\s,]+/).filter(Boolean),
    redirectPort: o.redirectPort,
  };
  const session = new SignInSession({
    subject,
    url,
    store,
    oauth: async () => oauth,
    clientMetadataUrl: () => o.clientMetadataUrl,
    howToSignIn: 'the next message opens the browser to sign in',
    onChange: () => undefined,
  });
  if (await adoptMcpRemoteSignIn(store, subject, url, env).catch(() => false)) note(`Brought over the sign-in mcp-remote saved for ${url}; it is in the keychain now.`);
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
  });
  const stop = () => void bridge.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await bridge.closed;
  process.exit(0);
}
