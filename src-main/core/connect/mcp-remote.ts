// Tokens mcp-remote saved for a server URL, brought over so a person switching to `gatehouse connect` does
// not sign in again. mcp-remote keeps them in the clear under ~/.mcp-auth (or $MCP_REMOTE_CONFIG_DIR), in a
// folder per store version, named by the MD5 of the server URL; once in the keychain, the files are removed.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StoredOAuthClientInformation, StoredOAuthTokens } from '@modelcontextprotocol/client';
import type { SignInStore } from '../auth/index.js';
import { loadClientSdk } from '../upstream/index.js';

export interface McpRemoteSignIn {
  tokens: StoredOAuthTokens;
  expiresAt?: number;
  client?: StoredOAuthClientInformation;
  /** Removes mcp-remote's copies (after they are safely in the keychain). */
  remove(): Promise<void>;
}

export async function findMcpRemoteSignIn(url: string, env: NodeJS.ProcessEnv = process.env): Promise<McpRemoteSignIn | undefined> {
  const base = env.MCP_REMOTE_CONFIG_DIR || path.join(os.homedir(), '.mcp-auth');
  const hash = createHash('md5').update(url).digest('hex');
  let folders: string[];
  try {
    folders = (await fs.readdir(base)).filter((f) => f.startsWith('mcp-remote-'));
  } catch {
    return undefined;
  }
  // The newest store first.
  const dated = await Promise.all(folders.map(async (f) => ({ f, at: (await fs.stat(path.join(base, f)).catch(() => undefined))?.mtimeMs ?? 0 })));
  for (const { f } of dated.sort((a, b) => b.at - a.at)) {
    const file = (name: string) => path.join(base, f, `${hash}_${name}`);
    const tokens = await readJson<StoredOAuthTokens & { expires_at?: number }>(file('tokens.json'));
    if (!tokens?.access_token) continue;
    const client = await readJson<StoredOAuthClientInformation>(file('client_info.json'));
    const { expires_at, ...rest } = tokens;
    return {
      tokens: rest,
      // Newer versions say when it expires; older ones only say how long it lasted, from the file's time.
      expiresAt: expires_at ?? (tokens.expires_in ? ((await fs.stat(file('tokens.json'))).mtimeMs + tokens.expires_in * 1000) : undefined),
      client,
      remove: async () => {
        await Promise.all(['tokens.json', 'client_info.json'].map((n) => fs.rm(file(n), { force: true })));
      },
    };
  }
  return undefined;
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Moves mcp-remote's sign-in for `url` into the sign-in store, when there is one and none is there yet. */
export async function adoptMcpRemoteSignIn(store: SignInStore, subject: string, url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if ((await store.read(subject)).tokens) return false;
  const found = await findMcpRemoteSignIn(url, env);
  if (!found) return false;
  const { discoverOAuthServerInfo } = await loadClientSdk();
  const discovery = await discoverOAuthServerInfo(url);
  const issuer = discovery.authorizationServerMetadata?.issuer ?? discovery.authorizationServerUrl;
  if (found.client) await store.saveClient(issuer, { ...found.client, issuer });
  const port = (found.client as { redirect_uris?: string[] } | undefined)?.redirect_uris?.map((u) => Number(new URL(u).port)).find((p) => p > 0);
  await store.update(subject, (r) => ({
    ...r,
    tokens: { ...found.tokens, issuer },
    expiresAt: found.expiresAt,
    obtainedAt: Date.now(),
    discovery,
    ...(port ? { redirectPort: port } : {}),
  }));
  await found.remove();
  return true;
}
