// Connecting AI clients to Gatehouse, and bringing their servers along. Every write to a client's file
// is shown first as a diff; it is refused when the file changed since that preview; the file as it was is
// kept, so undo puts it back byte for byte; disconnect removes Gatehouse's entry and nothing else. A file
// that cannot be read in its format is reported and never written.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { SERVER_NAME_PATTERN } from '../../../src-shared/ids.js';
import type { ServerConfig } from '../../../src-shared/config/schema.js';
import { ConfigError } from '../config/index.js';
import { literalSecrets } from '../secrets/index.js';
import { ensurePrivateDir, readJsonFile, writeFileAtomic } from '../state/index.js';
import { getIn, isObject, MalformedFile, parseConfig, setIn } from './formats.js';
import { KNOWN_CLIENTS, knownClient, type GatehouseEndpoint, type KnownClient, type Place } from './known.js';
import type { ClientTokens } from './tokens.js';

/** The name Gatehouse's own entry has in every client. */
export const ENTRY_NAME = 'gatehouse';

export interface ClientInfo {
  id: string;
  name: string;
  /** Its config file (the one that exists, else where it would be). */
  file?: string;
  /** Installed here: its file or its folder exists. */
  found: boolean;
  connected: boolean;
  transport: 'http' | 'stdio';
  /** Its own servers (not Gatehouse's entry). */
  servers: string[];
  /** Why its file cannot be used. */
  problem?: string;
  /** A change Gatehouse made can be undone. */
  canUndo: boolean;
  /** The servers it may use, when limited (a profile). */
  profile?: string[];
}

export interface Preview {
  client: string;
  file: string;
  /** A unified diff of the change. */
  diff: string;
  /** What the file holds now: pass it back to apply, so a change made since is noticed. */
  hash: string;
}

export interface ImportResult {
  imported: { name: string; as: string }[];
  skipped: { name: string; reason: string }[];
  /** Secrets moved from the client's file into the secret store, by name. */
  secrets: string[];
  removedFromClient: string[];
}

export interface ClientsDeps {
  place: () => Place;
  /** Where backups and undo records live (under state/). */
  dir: string;
  tokens: ClientTokens;
  /** How this client reaches Gatehouse (at its own endpoint path), with `token` its own. */
  endpoint: (client: string, token: string) => GatehouseEndpoint;
  servers: {
    exists(name: string): boolean;
    add(name: string, config: ServerConfig): Promise<unknown>;
    /** Approved and listed: it works through Gatehouse. */
    works(name: string): boolean;
  };
  setSecret(name: string, value: string): Promise<void>;
}

interface Target {
  client: KnownClient;
  file: string;
}

interface UndoRecord {
  file: string;
  /** The bytes before Gatehouse's change (base64), or null when there was no file. */
  before: string | null;
  /** SHA-256 of what Gatehouse wrote. */
  wrote: string;
  at: number;
}

export class Clients {
  constructor(private readonly deps: ClientsDeps) {}

  async list(workspace?: string): Promise<ClientInfo[]> {
    const place = this.place(workspace);
    return Promise.all(KNOWN_CLIENTS.filter((c) => c.files(place).length).map((c) => this.info({ client: c, file: c.files(place)[0] })));
  }

  async get(id: string, workspace?: string): Promise<ClientInfo> {
    return this.info(this.target(id, workspace));
  }

  /** What connecting would change. */
  async previewConnect(id: string, workspace?: string): Promise<Preview> {
    return this.preview(id, workspace, (client) => client.entry(this.deps.endpoint(id, '<a token of its own>')));
  }

  /** Writes Gatehouse's entry (with a new token of the client's own), keeping the file as it was for undo. */
  async connect(id: string, expected?: string, workspace?: string): Promise<ClientInfo> {
    const t = this.target(id, workspace);
    const { client } = t;
    const { file, text, raw } = await this.read(t);
    this.checkUnchanged(file, text, expected);
    const token = await this.deps.tokens.issue(id);
    const after = await setIn(client.format, text, [...client.key, ENTRY_NAME], client.entry(this.deps.endpoint(id, token)));
    await this.write(id, file, raw, after);
    return this.info(t);
  }

  async previewDisconnect(id: string, workspace?: string): Promise<Preview> {
    return this.preview(id, workspace, () => undefined);
  }

  /** The diff of setting Gatehouse's entry to `entry` (or removing it), and the file's hash now. */
  private async preview(id: string, workspace: string | undefined, entry: (client: KnownClient) => unknown): Promise<Preview> {
    const t = this.target(id, workspace);
    const { file, text } = await this.read(t);
    const after = await setIn(t.client.format, text, [...t.client.key, ENTRY_NAME], entry(t.client));
    return { client: id, file, diff: patch(file, text, after), hash: digest(text) };
  }

  /** Removes Gatehouse's entry (only it) and cuts off the client's token. */
  async disconnect(id: string, expected?: string, workspace?: string): Promise<ClientInfo> {
    const t = this.target(id, workspace);
    const { client } = t;
    const { file, text, raw } = await this.read(t);
    this.checkUnchanged(file, text, expected);
    const tree = await parseConfig(client.format, text, file);
    if (getIn(tree, [...client.key, ENTRY_NAME]) !== undefined) {
      await this.write(id, file, raw, await setIn(client.format, text, [...client.key, ENTRY_NAME], undefined));
    }
    await this.deps.tokens.revoke(id);
    return this.info(t);
  }

  /** Puts the file back exactly as it was before Gatehouse's last change, unless it changed since. */
  async undo(id: string, workspace?: string): Promise<ClientInfo> {
    const t = this.target(id, workspace);
    const { client } = t;
    const record = await this.undoRecord(id);
    if (!record) throw new ConfigError(`Gatehouse has changed nothing in ${client.name}'s config to undo`, [], 'not_found');
    const now = await fs.readFile(record.file).catch(() => undefined);
    if (!now || digest(now) !== record.wrote) {
      throw new ConfigError(`${record.file} changed after Gatehouse wrote it: undo would lose that change, so it is refused. Edit the file by hand instead.`, [], 'conflict');
    }
    if (record.before === null) await fs.rm(record.file, { force: true });
    else await writeBytes(record.file, Buffer.from(record.before, 'base64'));
    await fs.rm(this.undoFile(id), { force: true });
    if (!(await this.isConnected(t))) await this.deps.tokens.revoke(id);
    return this.info(t);
  }

  /** Limits a client connected over HTTP to some servers (undefined: all again); applies to its open sessions at once. */
  async setProfile(id: string, servers: string[] | undefined, workspace?: string): Promise<ClientInfo> {
    const t = this.target(id, workspace);
    if (t.client.transport !== 'http') throw new ConfigError(`${t.client.name} runs \`gatehouse stdio\`, which has no token of its own: a profile applies to clients connected over HTTP`);
    if (!this.deps.tokens.has(id)) throw new ConfigError(`${t.client.name} is not connected: connect it first`, [], 'conflict');
    const unknown = (servers ?? []).filter((s) => !this.deps.servers.exists(s));
    if (unknown.length) throw new ConfigError(`no server named ${unknown.map((s) => `"${s}"`).join(', ')} in Gatehouse`, [], 'not_found');
    await this.deps.tokens.setProfile(id, servers);
    return this.info(t);
  }

  /**
   * Brings the client's servers into Gatehouse (quarantined, like every new server), moving secrets in their
   * `env` and `headers` into the secret store as placeholders. With `removeFromClient`, the ones that
   * already work through Gatehouse (approved and listed) are taken out of the client's file.
   */
  async importServers(id: string, options: { names?: string[]; removeFromClient?: boolean; workspace?: string } = {}): Promise<ImportResult> {
    const t = this.target(id, options.workspace);
    const { client } = t;
    const { file, text, raw } = await this.read(t);
    const map = getIn(await parseConfig(client.format, text, file), client.key);
    const entries = isObject(map) ? Object.entries(map).filter(([name]) => name !== ENTRY_NAME) : [];
    const result: ImportResult = { imported: [], skipped: [], secrets: [], removedFromClient: [] };
    for (const [name, entry] of entries) {
      if (options.names && !options.names.includes(name)) continue;
      const as = name.replace(/[^A-Za-z0-9_-]/g, '-').replace(/_{2,}/g, '_').slice(0, 64);
      const config = client.read(entry);
      if (!config) {
        result.skipped.push({ name, reason: 'not an entry Gatehouse can run (no command or url, or turned off)' });
        continue;
      }
      if (!SERVER_NAME_PATTERN.test(as)) {
        result.skipped.push({ name, reason: `"${as}" is not a valid server name` });
        continue;
      }
      if (this.deps.servers.exists(as)) {
        if (options.removeFromClient) {
          if (this.deps.servers.works(as)) result.removedFromClient.push(name);
          else result.skipped.push({ name, reason: `"${as}" is in Gatehouse but not approved and listed yet: approve it first, then remove it from ${client.name}` });
        } else {
          result.skipped.push({ name, reason: `Gatehouse already has a server "${as}"` });
        }
        continue;
      }
      const moved = await this.moveSecrets(id, as, config);
      result.secrets.push(...moved.names);
      await this.deps.servers.add(as, moved.config);
      result.imported.push({ name, as });
    }
    if (result.removedFromClient.length) {
      let after = text;
      for (const name of result.removedFromClient) after = await setIn(client.format, after, [...client.key, name], undefined);
      await this.write(id, file, raw, after);
    }
    return result;
  }

  /** Literal values in env and headers become `${keyring:…}` placeholders, the values kept in the secret store. */
  private async moveSecrets(client: string, server: string, config: ServerConfig): Promise<{ config: ServerConfig; names: string[] }> {
    const taken = literalSecrets(config, `${client}.${server}`);
    for (const [name, value] of taken.values) await this.deps.setSecret(name, value);
    return { config: taken.config, names: [...taken.values.keys()] };
  }

  private place(workspace?: string): Place {
    return { ...this.deps.place(), ...(workspace ? { workspace } : {}) };
  }

  private target(id: string, workspace?: string): Target {
    const client = knownClient(id);
    if (!client) throw new ConfigError(`No client "${id}": the known ones are ${KNOWN_CLIENTS.map((c) => c.id).join(', ')}`, [], 'not_found');
    const files = client.files(this.place(workspace));
    if (!files.length) throw new ConfigError(`${client.name} has no config file on this system${id === 'vscode-workspace' ? ' (name the workspace folder)' : ''}`, [], 'not_found');
    return { client, file: files[0] };
  }

  private async read({ client, file }: Target): Promise<{ file: string; text: string; raw: Buffer | null; existed: boolean }> {
    let raw: Buffer | null = null;
    try {
      raw = await fs.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const text = raw ? raw.toString('utf8') : '';
    // Parsed before anything is written: a malformed file is reported and never touched.
    await parseConfig(client.format, text, file);
    return { file, text, raw, existed: raw !== null };
  }

  private checkUnchanged(file: string, text: string, expected: string | undefined): void {
    if (expected !== undefined && digest(text) !== expected) {
      throw new ConfigError(`${file} changed since the preview: look at the preview again before applying it`, [], 'conflict');
    }
  }

  private async write(id: string, file: string, before: Buffer | null, after: string): Promise<void> {
    await ensurePrivateDir(this.deps.dir);
    // The first change's "before" is kept until undone, so undo returns the file to how the person had it.
    const previous = await this.undoRecord(id);
    const record: UndoRecord = {
      file,
      before: previous && previous.file === file ? previous.before : before === null ? null : before.toString('base64'),
      wrote: digest(after),
      at: Date.now(),
    };
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(this.undoFile(id), JSON.stringify(record));
    await writeFileAtomic(file, after);
  }

  private undoFile(id: string): string {
    return path.join(this.deps.dir, `${id}.undo.json`);
  }

  private undoRecord(id: string): Promise<UndoRecord | undefined> {
    return readJsonFile<UndoRecord>(this.undoFile(id)).catch(() => undefined);
  }

  private async isConnected(t: Target): Promise<boolean> {
    const { client } = t;
    try {
      const { file, text } = await this.read(t);
      return getIn(await parseConfig(client.format, text, file), [...client.key, ENTRY_NAME]) !== undefined;
    } catch {
      return false;
    }
  }

  private async info({ client, file }: Target): Promise<ClientInfo> {
    const profile = this.deps.tokens.profile(client.id);
    const base = { id: client.id, name: client.name, file, transport: client.transport, canUndo: !!(await this.undoRecord(client.id)), ...(profile ? { profile: [...profile] } : {}) };
    const exists = await fs.stat(file).then(
      () => true,
      () => false,
    );
    const signs = client.installedIn?.(this.place()) ?? [path.dirname(file)];
    const found = exists || (await Promise.all(signs.map((dir) => fs.stat(dir).then((s) => s.isDirectory(), () => false)))).some(Boolean);
    if (!exists) return { ...base, found, connected: false, servers: [] };
    try {
      const text = await fs.readFile(file, 'utf8');
      const map = getIn(await parseConfig(client.format, text, file), client.key);
      const names = isObject(map) ? Object.keys(map) : [];
      return { ...base, found, connected: names.includes(ENTRY_NAME), servers: names.filter((n) => n !== ENTRY_NAME) };
    } catch (err) {
      return { ...base, found, connected: false, servers: [], problem: err instanceof MalformedFile ? err.message : (err as Error).message };
    }
  }
}

/** Writes bytes as they are (no re-encoding), through a temporary file and a rename. */
async function writeBytes(file: string, bytes: Buffer): Promise<void> {
  const tmp = `${file}.gatehouse-${process.pid}.tmp`;
  await fs.writeFile(tmp, bytes);
  await fs.rename(tmp, file);
}

function digest(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

function patch(file: string, before: string, after: string): string {
  return createTwoFilesPatch(file, file, before, after, 'now', 'after Gatehouse', { context: 3 });
}
