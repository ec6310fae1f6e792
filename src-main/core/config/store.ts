// The user's config.json: loaded, validated, written atomically, and watched for edits by hand.
import { EventEmitter } from 'node:events';
import { promises as fs, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { GatehouseConfig, ServerConfig } from '../../../src-shared/config/schema.js';
import { isValidServerName, SERVER_NAME_RULE } from '../../../src-shared/ids.js';
import { FileLockedError, withFileLock, writeFileAtomic } from '../state/index.js';
import { ConfigError, parseConfigText, validateConfig } from './parse.js';

export interface ConfigStoreEvents {
  /** A valid new config is in force, after an edit made outside (`own` false) or a write of our own. */
  change: [config: GatehouseConfig, previous: GatehouseConfig, own: boolean];
  /** An external edit was not valid: the running config stays and the file is left as the user wrote it. */
  invalid: [error: ConfigError];
}

export class ConfigStore extends EventEmitter<ConfigStoreEvents> {
  private current!: GatehouseConfig;
  private lastText: string | undefined;
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  /** Updates made in this process, one after another. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {
    super();
  }

  get config(): GatehouseConfig {
    return this.current;
  }

  /** Reads config.json; a missing file is an empty config. Throws ConfigError when the file is invalid. */
  async load(): Promise<GatehouseConfig> {
    const text = await readText(this.file);
    this.current = parseConfigText(text ?? '', this.file);
    this.lastText = text;
    return this.current;
  }

  /**
   * Applies `mutate` to a copy of the raw config, validates it, and writes it atomically. Updates are
   * serialised in this process and, across processes (two CLI commands at once), by a lock on the file,
   * so none is lost: each reads the file as the previous one left it.
   */
  update(mutate: (raw: Record<string, unknown>) => void): Promise<GatehouseConfig> {
    const run = this.queue.then(() => this.locked(() => this.readChangeWrite(mutate)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await withFileLock(this.file, fn);
    } catch (err) {
      if (err instanceof FileLockedError) throw new ConfigError(err.message, [], 'conflict');
      throw err;
    }
  }

  /** The config `mutate` would make of the file as it is now, validated; nothing is written. */
  async preview(mutate: (raw: Record<string, unknown>) => void): Promise<GatehouseConfig> {
    return (await this.changed(mutate)).config;
  }

  private async changed(mutate: (raw: Record<string, unknown>) => void): Promise<{ text: string | undefined; next: Record<string, unknown>; config: GatehouseConfig }> {
    // Re-read first so an edit made by hand (or by another process) since our last look is not overwritten.
    const text = await readText(this.file);
    // A broken file is refused with its problems named, never overwritten.
    if (text?.trim()) parseConfigText(text, this.file);
    const next = text?.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
    mutate(next);
    return { text, next, config: validateConfig(next, this.file) };
  }

  private async readChangeWrite(mutate: (raw: Record<string, unknown>) => void): Promise<GatehouseConfig> {
    const { text, next, config } = await this.changed(mutate);
    const out = `${JSON.stringify(next, null, 2)}\n`;
    await writeFileAtomic(this.file, out, { backup: text !== undefined });
    const previous = this.current;
    this.current = config;
    this.lastText = out;
    if (previous) this.emit('change', config, previous, true);
    return config;
  }

  async addServer(name: string, server: ServerConfig): Promise<GatehouseConfig> {
    if (!isValidServerName(name)) throw new ConfigError(`"${name}" is not a valid server name: ${SERVER_NAME_RULE}`);
    return this.update((raw) => {
      const servers = serversOf(raw);
      if (Object.hasOwn(servers, name)) throw new ConfigError(`a server named "${name}" already exists; remove it first or pick another name`, [], 'conflict');
      servers[name] = server;
    });
  }

  async replaceServer(name: string, server: ServerConfig): Promise<GatehouseConfig> {
    return this.update((raw) => {
      const servers = serversOf(raw);
      if (!Object.hasOwn(servers, name)) throw notFound(name);
      servers[name] = server;
    });
  }

  async removeServer(name: string): Promise<GatehouseConfig> {
    return this.update((raw) => {
      const servers = serversOf(raw);
      if (!Object.hasOwn(servers, name)) throw notFound(name);
      delete servers[name];
    });
  }

  async setServerEnabled(name: string, enabled: boolean): Promise<GatehouseConfig> {
    return this.update((raw) => {
      const servers = serversOf(raw);
      if (!Object.hasOwn(servers, name)) throw notFound(name);
      const server = servers[name] as Record<string, unknown>;
      if (enabled) delete server.enabled;
      else server.enabled = false;
    });
  }

  /** Watches the folder (editors replace files by rename) and reloads on a settled change. */
  watch(): void {
    if (this.watcher) return;
    const dir = path.dirname(this.file);
    const base = path.basename(this.file);
    this.watcher = watch(dir, (_event, name) => {
      if (name && name !== base) return;
      clearTimeout(this.debounce);
      // In the same queue as our own updates: a reload that read the file just before one of our writes
      // must not land after it and put the older text back.
      this.debounce = setTimeout(() => {
        this.queue = this.queue.then(() => this.reloadFromDisk()).catch(() => undefined);
      }, 100);
    });
    this.watcher.on('error', () => undefined);
  }

  stop(): void {
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** `settled`: read again after a grace, the file having been found empty or missing. */
  private async reloadFromDisk(settled = false): Promise<void> {
    let text: string | undefined;
    try {
      text = await readText(this.file);
    } catch {
      return;
    }
    if (text === this.lastText) return;
    if (!text?.trim() && !settled) {
      // An editor that empties the file before writing it, or moves it away for a moment: looked at again
      // before anyone is told (the write that follows clears this and is read as usual).
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => {
        this.queue = this.queue.then(() => this.reloadFromDisk(true)).catch(() => undefined);
      }, EMPTY_GRACE_MS);
      return;
    }
    this.lastText = text;
    if (!text?.trim()) {
      // Still empty or missing: never a reason to drop every server (and with them nothing a person
      // decided is lost).
      this.emit('invalid', new ConfigError(`${this.file} is ${text === undefined ? 'missing' : 'empty'}: the running config stays until it is valid again`));
      return;
    }
    try {
      const config = parseConfigText(text ?? '', this.file);
      const previous = this.current;
      this.current = config;
      this.emit('change', config, previous, false);
    } catch (err) {
      this.emit('invalid', err instanceof ConfigError ? err : new ConfigError(String(err)));
    }
  }
}

/** How long config.json may stay empty or missing, mid-save, before that is reported. */
const EMPTY_GRACE_MS = 1000;

function notFound(name: string): ConfigError {
  return new ConfigError(`no server named "${name}"`, [], 'not_found');
}

function serversOf(raw: Record<string, unknown>): Record<string, unknown> {
  if (typeof raw.mcpServers !== 'object' || raw.mcpServers === null) raw.mcpServers = {};
  return raw.mcpServers as Record<string, unknown>;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
