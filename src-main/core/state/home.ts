// Where Gatehouse keeps its files: $GATEHOUSE_HOME, else the OS app-data folder.
import os from 'node:os';
import path from 'node:path';

export function resolveHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.GATEHOUSE_HOME) return path.resolve(env.GATEHOUSE_HOME);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Gatehouse');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Gatehouse');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Gatehouse');
}

/** The files under a Gatehouse home. */
export function homePaths(home: string) {
  return {
    home,
    config: path.join(home, 'config.json'),
    /** Gatehouse's own state: not the user's to hand-edit. */
    state: path.join(home, 'state'),
    toolCache: path.join(home, 'state', 'tool-cache'),
    token: path.join(home, 'state', 'gateway-token'),
    /** The encrypted secret file, used only when the user opts in to it. */
    secrets: path.join(home, 'state', 'secrets.enc'),
    /** Sign-ins (OAuth tokens, client registrations) in the encrypted file, likewise only when opted in. */
    signIns: path.join(home, 'state', 'sign-ins.enc'),
    /** Where a running Gatehouse answers: { pid, port, admin socket }. */
    instance: path.join(home, 'state', 'instance.json'),
    clientCapabilities: path.join(home, 'state', 'client-capabilities.json'),
    /** This Gatehouse's own key pair for remote vaults (private keys 0600). */
    vaultKeys: path.join(home, 'state', 'vault-keys'),
    /** Each connected AI client's token, as a SHA-256. */
    clientTokens: path.join(home, 'state', 'client-tokens.json'),
    /** What Gatehouse changed in AI clients' config files, kept so it can be undone. */
    clientChanges: path.join(home, 'state', 'clients'),
    /** Approvals, pinned tool definitions and per-call policy: a person's decisions, never config.json's. */
    trust: path.join(home, 'state', 'trust.json'),
    /** The key that seals trust.json (kept in the keychain too when secrets are). */
    trustKey: path.join(home, 'state', 'trust-key'),
    /** The pinned tool definitions, one file per server (shown in diffs). */
    pins: path.join(home, 'state', 'pins'),
    logs: path.join(home, 'logs'),
    /** What every agent and person did: SQLite, hash-chained. */
    activity: path.join(home, 'state', 'activity.db'),
    /** The activity chain's newest link, kept outside the database so a cut tail shows. */
    activityHead: path.join(home, 'state', 'activity-head.json'),
  };
}

export type HomePaths = ReturnType<typeof homePaths>;
