// Every trust decision a person made, kept in Gatehouse's own state (state/trust.json), never in
// config.json: which servers are approved or blocked, each approved tool's pinned hash, and the
// per-call policy. A server Gatehouse has no record of is quarantined, however it arrived. The pinned
// definitions themselves (for diffs and renames) sit in state/pins/<server>.json, read only when shown,
// so a start-up with thousands of pinned tools reads hashes only.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as fs, readFileSync, rmSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { ServerCatalog, ToolDefinition } from '../../../src-shared/catalog.js';
import type { ServerConfig } from '../../../src-shared/config/schema.js';
import type { CallRule, ServerOrigin, ServerTrust, ToolTrust } from '../../../src-shared/trust.js';
import { loosenedSince, withPinnedImage } from '../isolation/index.js';
import { FILE_MODE, withFileLock, writeFileAtomic } from '../state/index.js';
import { flaggedIfScanned } from './findings.js';
import { IDENTITY_CHANGED, IDENTITY_ERA, serverIdentity, verdictOf, type ApprovedIdentity, type ImagePin } from './server-identity.js';
import type { TrustSeal } from './trust-seal.js';
import { canonicalJson, hashDefinition, hashItem, hashTool, itemKey, legacyItemHash, legacyToolHash, PIN_SCHEME, pinnedItem, pinnedPart, RENAME_SIMILARITY, similarity, type ItemDefinition, type ItemKind, type PinnedDefinition } from './pins.js';

/**
 * A pinned tool: the hash of its approved definition, or "!" and the hash for a tool a person blocked.
 * Plain strings keep the file small and quick to read with thousands of tools.
 */
type Pin = string;
const BLOCKED = '!';
const isBlocked = (pin: Pin) => pin.startsWith(BLOCKED);

/**
 * Every map here is keyed by names a server or a person chose ("constructor", "__proto__" included):
 * maps without a prototype, so a name is only ever data.
 */
function dict<T>(from?: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, from);
}

interface ServerRecord extends ApprovedIdentity {
  state: ServerTrust;
  reason?: string;
  origin?: ServerOrigin;
  since: number;
  /** Approved before Gatehouse ever listed it: the first listing is pinned as it is. */
  pinOnFirstList?: boolean;
  tools: Record<string, Pin>;
  /** Approved tools the server no longer lists (kept to spot a reappearance or a rename). */
  removed: Record<string, Pin>;
  policy?: { default?: CallRule; tools?: Record<string, CallRule> };
  /**
   * Pinned prompts and resource templates, by name. Absent in records from before they were pinned: the
   * listing next seen of an approved server is pinned as it is.
   */
  prompts?: Record<string, Pin>;
  templates?: Record<string, Pin>;
  /** Static resources a person let through though the scanner flagged them, or blocked, by URI. */
  resources?: Record<string, Pin>;
  /**
   * Hash of the instructions to the model the server gave when a person approved it (those of '' when it
   * gave none); '' when the server was approved without them. Absent in records from before they were
   * pinned: the listing next seen of an approved server is pinned as it is.
   */
  instructions?: string;
  /** PIN_SCHEME of its pins; absent in records from before whole definitions were pinned. */
  pins?: number;
}

/** Which approvals a decision covers: the whole server, or the tools, prompts, templates and resources (by URI) named. */
export interface Selection {
  tools?: string[];
  prompts?: string[];
  templates?: string[];
  resources?: string[];
  /** With items named: whether the server's instructions to the model are approved too. */
  instructions?: boolean;
}

const ITEM_KEY = { prompt: 'prompts', template: 'templates', resource: 'resources' } as const;
const ITEM_KINDS = ['prompt', 'template', 'resource'] as const;
/** The strict setting's key among unsaved changes: no server is named "". */
const STRICT = '';
const catalogItems = (catalog: ServerCatalog | undefined, kind: ItemKind): ItemDefinition[] =>
  (kind === 'prompt' ? catalog?.prompts : kind === 'template' ? catalog?.resourceTemplates : catalog?.resources) ?? [];
const waits = (s: ToolTrust) => s === 'pending' || s === 'changed';

interface TrustFile {
  version: 1;
  strict?: boolean;
  /** One more at every write (sealed with the rest): an older copy written back over it is not believed. */
  generation?: number;
  servers: Record<string, ServerRecord>;
}

export interface ToolStanding {
  trust: ToolTrust;
  /** The approved definition it is compared against (changed tools and renames). */
  previous?: PinnedDefinition;
  renamedFrom?: string;
}

/** A person's decision could not be saved: it was not taken. */
export class TrustWriteError extends Error {
  constructor(cause: unknown) {
    super(`Gatehouse could not save your decision, so it was not taken: ${cause instanceof Error ? cause.message : String(cause)}. Check that the Gatehouse home's state folder is writable, then try again.`);
    this.name = 'TrustWriteError';
  }
}

export interface TrustStoreEvents {
  change: [server: string];
  /** A change Gatehouse made on its own (a quarantine, a listing noted) could not be saved. */
  'write-failed': [error: Error, servers: string[]];
  /** trust.json was written by something other than Gatehouse while it ran: not believed, written back over. */
  'changed-outside': [message: string];
}

export class TrustStore extends EventEmitter<TrustStoreEvents> {
  private data: TrustFile = { version: 1, servers: dict() };
  private writing: Promise<void> = Promise.resolve();
  /** What this process last read or wrote, to tell another process's write from our own. */
  private lastText: string | undefined;
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  /** Pinned definitions by server and tool name, read from state/pins on first need. */
  private readonly defs = new Map<string, Record<string, PinnedDefinition>>();
  private readonly dirtyDefs = new Set<string>();
  /** Pinned prompts and templates by "<kind>/<server>", read on first need. */
  private readonly itemDefs = new Map<string, Record<string, Record<string, unknown>>>();
  private readonly dirtyItems = new Set<string>();
  /**
   * Servers whose record changed here and is not yet on disk (STRICT for the strict setting), each with
   * a count of its changes: when another process wrote the file meanwhile, its records of everything
   * else replace ours, and these stay ours.
   */
  private readonly unsaved = new Map<string, number>();
  /** Why trust.json could not be read or believed when loaded (it was kept aside), for the person to be told. */
  unreadable: string | undefined;
  /**
   * trust.json could not be read at start and was kept aside for the person to mend and put back: what is
   * written meanwhile is not given to the keychain as the last generation, or the mended file (of the
   * generation before) would be taken for an older copy.
   */
  private awaitingMend = false;
  private seal: TrustSeal | undefined;
  /** The last text of trust.json found changed outside Gatehouse (said once). */
  private refused: string | undefined;
  /** When Gatehouse last wrote its decisions back over such a file. */
  private writtenBack: number[] = [];

  constructor(
    private readonly file: string,
    private readonly pinsDir: string,
  ) {
    super();
  }

  private pinsFile(server: string): string {
    return path.join(this.pinsDir, `${server}.json`);
  }

  /** state/pins/prompts/<server>.json, state/pins/templates/<server>.json and state/pins/resources/<server>.json. */
  private itemsFile(key: string): string {
    const [kind, server] = key.split('/');
    return path.join(this.pinsDir, ITEM_KEY[kind as ItemKind], `${server}.json`);
  }

  private itemDefinitions(kind: ItemKind, server: string): Record<string, Record<string, unknown>> {
    const key = `${kind}/${server}`;
    let defs = this.itemDefs.get(key);
    if (!defs) {
      try {
        defs = dict(JSON.parse(readFileSync(this.itemsFile(key), 'utf8')) as Record<string, Record<string, unknown>>);
      } catch {
        defs = dict();
      }
      this.itemDefs.set(key, defs);
    }
    return defs;
  }

  private pinItem(server: string, kind: ItemKind, item: ItemDefinition, state: 'approved' | 'blocked'): Pin {
    this.itemDefinitions(kind, server)[itemKey(kind, item)] = pinnedItem(item);
    this.dirtyItems.add(`${kind}/${server}`);
    return (state === 'blocked' ? BLOCKED : '') + hashItem(item);
  }

  private definitions(server: string): Record<string, PinnedDefinition> {
    let defs = this.defs.get(server);
    if (!defs) {
      try {
        defs = dict(JSON.parse(readFileSync(this.pinsFile(server), 'utf8')) as Record<string, PinnedDefinition>);
      } catch {
        defs = dict();
      }
      this.defs.set(server, defs);
    }
    return defs;
  }

  private pin(server: string, tool: ToolDefinition, state: 'approved' | 'blocked'): Pin {
    this.definitions(server)[tool.name] = pinnedPart(tool);
    this.dirtyDefs.add(server);
    return (state === 'blocked' ? BLOCKED : '') + hashTool(tool);
  }

  private dropDefinitions(server: string): void {
    this.defs.delete(server);
    this.dirtyDefs.delete(server);
    const files = [this.pinsFile(server)];
    for (const kind of ITEM_KINDS) {
      const key = `${kind}/${server}`;
      this.itemDefs.delete(key);
      this.dirtyItems.delete(key);
      files.push(this.itemsFile(key));
    }
    this.writing = this.writing.then(() => files.forEach((f) => rmSync(f, { force: true })));
  }

  /**
   * Reads trust.json. With `seal`, every write is sealed and every reading checked: a file changed outside
   * Gatehouse is not believed.
   */
  async load(seal?: TrustSeal): Promise<void> {
    this.seal = seal;
    const [text, last] = await Promise.all([fs.readFile(this.file, 'utf8').catch(() => undefined), seal?.lastGeneration()]);
    // Whatever is believed, the next write is past the newest generation the keychain has seen.
    try {
      if (text === undefined) return;
      const read = this.read(text, true);
      if ('problem' in read) return await this.setAside(text, read.problem, read.changedOutside);
      const generation = read.data.generation ?? 0;
      if (last !== undefined && generation < last) {
        return await this.setAside(text, `it is an older copy than the one Gatehouse last wrote: generation ${generation}, where the last written was ${last}`, true);
      }
      this.lastText = text;
      this.data = read.data;
    } finally {
      this.data.generation = Math.max(this.data.generation ?? 0, last ?? 0);
    }
  }

  /** trust.json's text as records, or why it cannot be believed. `initial`: the reading at start. */
  private read(text: string, initial: boolean): { data: TrustFile } | { problem: string; changedOutside?: boolean } {
    const opened = this.seal?.opened(text);
    let data: TrustFile | undefined;
    try {
      data = JSON.parse(opened?.body ?? text) as TrustFile;
    } catch (err) {
      return { problem: (err as Error).message };
    }
    if (data?.version !== 1 || typeof data.servers !== 'object' || data.servers === null) return { problem: 'it is not a trust file of this version: an object with "version": 1 and "servers"' };
    // A file from before sealing began is believed once, at the start that makes the key.
    const unsealedBefore = initial && opened?.state === 'unsealed' && this.seal?.fresh;
    if (opened && opened.state !== 'sealed' && !unsealedBefore) {
      return { problem: 'its seal does not match what Gatehouse wrote', changedOutside: true };
    }
    // Every Gatehouse takes in the file before it writes, and writes one generation past it: a later write
    // of a generation not past ours is a copy kept from before and put back (a block undone).
    if (opened && !initial && (data.generation ?? 0) <= (this.data.generation ?? 0)) {
      return { problem: 'it is an older copy than the one Gatehouse last wrote', changedOutside: true };
    }
    const servers = dict<ServerRecord>();
    for (const [name, record] of Object.entries(data.servers)) servers[name] = copyRecord(record)!;
    return { data: { ...data, servers } };
  }

  /** The text written: the records, sealed. */
  private serialize(): string {
    const body = JSON.stringify(this.data);
    return this.seal ? this.seal.sealed(body) : body;
  }

  /**
   * A trust.json that cannot be read, or that was changed outside Gatehouse, is copied aside before
   * anything is written over it; meanwhile (at start) every server is quarantined.
   */
  private async setAside(text: string, reason: string, changedOutside = false): Promise<void> {
    let kept = `${this.file}.invalid`;
    for (let n = 1; ; n++) {
      try {
        await fs.writeFile(kept, text, { flag: 'wx', mode: FILE_MODE });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw err;
        kept = `${this.file}.invalid.${n}`;
      }
    }
    this.awaitingMend = !changedOutside;
    this.unreadable = changedOutside
      ? `${this.file} was changed outside Gatehouse (${reason}): every server is quarantined until a person approves it again in Gatehouse. The file was kept as ${kept}.`
      : `${this.file} could not be read (${reason}): every server is quarantined until a person approves it again. The file was kept as ${kept}; to restore its decisions, stop Gatehouse, mend it and put it back as ${path.basename(this.file)}.`;
  }

  /**
   * Brings the records in line with config.json: a server without a record is quarantined; one whose
   * command, arguments, URL, environment names (or values that change what runs) or isolation changed goes
   * back to quarantine (its pins kept, so the review shows what changed). Records of servers missing from
   * this reading are kept (see `forget`). `relaunched`: the servers now started or reached differently,
   * whose earlier listings say nothing about them.
   */
  sync(
    servers: Record<string, ServerConfig>,
    origins: Map<string, ServerOrigin> = new Map(),
    containers: ContainerOf = () => undefined,
  ): { changed: string[]; relaunched: string[] } {
    const changed: string[] = [];
    const relaunched: string[] = [];
    const carriedOver: string[] = [];
    for (const [name, config] of Object.entries(servers)) {
      const identity = serverIdentity(config);
      const record = this.data.servers[name];
      if (!record) {
        const origin = origins.get(name) ?? 'config';
        this.data.servers[name] = {
          state: 'quarantined',
          identity,
          identityEra: IDENTITY_ERA,
          origin,
          reason: origin === 'agent' ? 'added by an agent' : 'new server',
          since: Date.now(),
          tools: dict(),
          removed: dict(),
          prompts: dict(),
          templates: dict(),
          pins: PIN_SCHEME,
        };
        changed.push(name);
      } else {
        const verdict = verdictOf(record, config, identity);
        if (verdict === 'same') continue;
        record.identity = identity;
        record.identityEra = IDENTITY_ERA;
        delete record.imagePin;
        if (verdict === 'carried' || verdict === 'pinned') {
          carriedOver.push(name);
          continue;
        }
        relaunched.push(name);
        if (record.state === 'approved') Object.assign(record, { state: 'quarantined', reason: IDENTITY_CHANGED, since: Date.now() });
        changed.push(name);
      }
    }
    for (const [name, config] of Object.entries(servers)) if (this.containerLoosened(name, containers(name, config)) && !changed.includes(name)) changed.push(name);
    if (changed.length || carriedOver.length) this.commit([...new Set([...changed, ...carriedOver])]);
    return { changed, relaunched };
  }

  /**
   * Which approved servers `sync` would send back to review were the servers' entries and containers
   * these, and why; nothing is changed. What a person is shown before saving a change that does so.
   */
  wouldSendBack(servers: Record<string, ServerConfig>, containers: ContainerOf, pinning?: ImagePin): { name: string; reason: string }[] {
    const sent: { name: string; reason: string }[] = [];
    for (const [name, config] of Object.entries(servers)) {
      const record = this.data.servers[name];
      if (record?.state !== 'approved') continue;
      const now = containers(name, config);
      const approved = record.container && pinning ? (withPinnedImage(record.container, pinning.from, pinning.image) ?? record.container) : record.container;
      const reason = verdictOf(record, config) === 'changed' ? IDENTITY_CHANGED : approved && now ? containerReason(approved, now) : undefined;
      if (reason) sent.push({ name, reason });
    }
    return sent;
  }

  /**
   * An image servers ran by its tag (`from`) is to be named by the digest the tag names now (`image`): each
   * approved server whose container ran it is recorded as approved with that digest too, so pinning the
   * image sends none of them back to review. Called before the config names the digest; should that edit
   * not land, the tag is still what they were approved with.
   */
  imagePinned(pin: ImagePin): void {
    const changed: string[] = [];
    for (const [name, record] of Object.entries(this.data.servers)) {
      const next = record.state === 'approved' && record.container ? withPinnedImage(record.container, pin.from, pin.image) : undefined;
      if (!next) continue;
      record.container = next;
      changed.push(name);
    }
    if (changed.length) this.commit(changed);
  }

  /**
   * A person pins the image one approved server's entry names by a tag (`from`) to the digest the tag names
   * now (`image`), in its own arguments or container: the entry that says so is the one approved, and so is
   * its container. Called before config.json is written; should that edit not land, nothing changes.
   */
  serverImagePinned(name: string, pin: ImagePin): void {
    const record = this.data.servers[name];
    if (record?.state !== 'approved') return;
    record.imagePin = { from: pin.from, image: pin.image };
    if (record.container) record.container = withPinnedImage(record.container, pin.from, pin.image) ?? record.container;
    this.commit([name]);
  }

  /**
   * Keeps what a server's container gives up: as approved, once approved; as the entry and the settings
   * for every server now give it, until then. An approved server whose container now gives up more (the
   * settings for every server changed: isolation off, a folder mounted) goes back to quarantine. Says
   * whether the record changed.
   */
  private containerLoosened(name: string, now: string[] | undefined): boolean {
    const record = this.data.servers[name];
    if (!record || !now) return false;
    if (record.state === 'approved' && record.container) {
      const reason = containerReason(record.container, now);
      if (!reason) return false;
      Object.assign(record, { state: 'quarantined', reason, since: Date.now(), container: now });
      return true;
    }
    if (canonicalJson(record.container) === canonicalJson(now)) return false;
    record.container = now;
    return true;
  }

  /** Sends a server back to quarantine whatever its config (an agent changed it). A block stays a block. */
  quarantine(name: string, reason: string, origin?: ServerOrigin): void {
    const record = this.data.servers[name];
    if (!record || record.state === 'blocked') return;
    Object.assign(record, { state: 'quarantined', reason, since: Date.now() }, origin ? { origin } : {});
    this.commit([name]);
  }

  /** Is there a record of this server (approved, blocked or quarantined, configured or not)? */
  has(name: string): boolean {
    return Object.hasOwn(this.data.servers, name);
  }

  serverTrust(name: string): ServerTrust {
    return this.data.servers[name]?.state ?? 'quarantined';
  }

  describe(name: string): { trust: ServerTrust; reason?: string; origin?: ServerOrigin } {
    const r = this.data.servers[name];
    return r ? { trust: r.state, ...(r.state === 'quarantined' && r.reason ? { reason: r.reason } : {}), ...(r.origin ? { origin: r.origin } : {}) } : { trust: 'quarantined' };
  }

  /**
   * A tool's standing against its pin. With `detail`, also what it is compared against: the approved
   * definition of a changed tool, or of the removed tool a new one nearly matches (a rename).
   */
  toolStanding(server: string, tool: ToolDefinition, detail = false): ToolStanding {
    const record = this.data.servers[server];
    if (!record) return { trust: 'pending' };
    // Back under the same name after a removal counts as the same tool: unchanged is still approved.
    const pin = record.tools[tool.name] ?? record.removed[tool.name];
    if (pin) {
      if (isBlocked(pin)) return { trust: 'blocked' };
      // Until its next listing carries them over, older pins are compared as they were made.
      if (pin === hashTool(tool) || (record.pins !== PIN_SCHEME && pin === legacyToolHash(tool))) return { trust: 'approved' };
      const previous = detail ? this.keptIntact(this.definitions(server)[tool.name], pin, hashDefinition, legacyToolHash) : undefined;
      return previous ? { trust: 'changed', previous } : { trust: 'changed' };
    }
    if (!detail) return { trust: 'pending' };
    const def = pinnedPart(tool);
    const defs = this.definitions(server);
    let best: { name: string; score: number } | undefined;
    for (const [name, pin] of Object.entries(record.removed)) {
      const old = this.keptIntact(defs[name], pin, hashDefinition, legacyToolHash);
      const score = old ? similarity(old, def) : 0;
      if (score >= RENAME_SIMILARITY && (!best || score > best.score)) best = { name, score };
    }
    return best ? { trust: 'pending', renamedFrom: best.name, previous: defs[best.name] } : { trust: 'pending' };
  }

  /**
   * A pinned definition from state/pins, if it is the one approved: it hashes to the pin in trust.json
   * (which is sealed). One changed there is not shown as what a person approved.
   */
  private keptIntact<T>(kept: T | undefined, pin: Pin, hash: (def: T) => string, legacyHash: (def: T) => string): T | undefined {
    if (kept === undefined) return undefined;
    const approved = isBlocked(pin) ? pin.slice(BLOCKED.length) : pin;
    return hash(kept) === approved || legacyHash(kept) === approved ? kept : undefined;
  }

  /** May an agent see and call this tool? Only an approved tool of an approved server. */
  usable(server: string, tool: ToolDefinition): boolean {
    return this.serverTrust(server) === 'approved' && this.toolStanding(server, tool).trust === 'approved';
  }

  /**
   * A prompt's, resource template's or static resource's standing against its pin; with `detail`, the
   * approved definition of a changed one. A static resource is the server's data, listed as it is: it needs
   * a person only while the scanner flags it (and is held back until it has read it).
   */
  itemStanding(server: string, kind: ItemKind, item: ItemDefinition, detail = false): { trust: ToolTrust; previous?: Record<string, unknown> } {
    const standing = this.pinStanding(server, kind, item, detail);
    if (kind === 'resource' && waits(standing.trust) && flaggedIfScanned(item) === false) return { trust: 'approved' };
    return standing;
  }

  private pinStanding(server: string, kind: ItemKind, item: ItemDefinition, detail: boolean): { trust: ToolTrust; previous?: Record<string, unknown> } {
    const record = this.data.servers[server];
    const key = itemKey(kind, item);
    const pins = record?.[ITEM_KEY[kind]];
    const pin = pins && Object.hasOwn(pins, key) ? pins[key] : undefined;
    if (!pin) return { trust: 'pending' };
    if (isBlocked(pin)) return { trust: 'blocked' };
    if (pin === hashItem(item) || (kind !== 'resource' && record!.pins !== PIN_SCHEME && pin === legacyItemHash(kind, item))) return { trust: 'approved' };
    const previous = detail ? this.keptIntact(this.itemDefinitions(kind, server)[key], pin, (d) => hashItem(d as ItemDefinition), (d) => legacyItemHash(kind, d as ItemDefinition)) : undefined;
    return previous ? { trust: 'changed', previous } : { trust: 'changed' };
  }

  /** Whether a person decided on this static resource (let it through or blocked it). */
  resourceDecided(server: string, uri: string): boolean {
    const pins = this.data.servers[server]?.resources;
    return !!pins && Object.hasOwn(pins, uri);
  }

  /** Whether these instructions to the model are the ones a person approved with the server. */
  instructionsApproved(server: string, instructions: string | undefined): boolean {
    return this.instructionsStanding(server, instructions) === 'approved';
  }

  /** The server's instructions to the model against those approved with it: changed ones wait for a person. */
  instructionsStanding(server: string, instructions: string | undefined): ToolTrust {
    const record = this.data.servers[server];
    if (record?.state !== 'approved' || record.instructions === '') return 'pending';
    return record.instructions === instructionsHash(instructions) ? 'approved' : 'changed';
  }

  /** May an agent see and use this prompt, template or resource? Only an approved one of an approved server. */
  usableItem(server: string, kind: ItemKind, item: ItemDefinition): boolean {
    return this.serverTrust(server) === 'approved' && this.itemStanding(server, kind, item).trust === 'approved';
  }

  /** Approved before it was ever listed, and no listing seen since: the next one is pinned as it is. */
  awaitsFirstListing(server: string): boolean {
    return this.data.servers[server]?.pinOnFirstList === true;
  }

  /**
   * Takes note of a fresh listing: approved tools the server no longer lists are recorded as removed
   * (and restored when they come back unchanged); a server approved before it was ever listed gets
   * this listing pinned. Returns what now waits for a person (new or changed tools, prompts, templates and
   * instructions).
   */
  observe(catalog: ServerCatalog): { name: string; trust: ToolTrust }[] {
    const record = this.data.servers[catalog.server];
    if (!record) return [];
    let dirty = this.upgradePins(record, catalog);
    if (record.pinOnFirstList) {
      for (const tool of catalog.tools) record.tools[tool.name] ??= this.pin(catalog.server, tool, 'approved');
      this.pinItems(record, catalog, undefined);
      record.instructions = instructionsHash(catalog.instructions);
      delete record.pinOnFirstList;
      dirty = true;
    }
    // Approved before its instructions were pinned: what it gives now is what the person approved.
    if (record.state === 'approved' && record.instructions === undefined) {
      record.instructions = instructionsHash(catalog.instructions);
      dirty = true;
    }
    // Approved before prompts and templates were pinned: what it lists now is what the person approved.
    if (record.state === 'approved' && (!record.prompts || !record.templates)) {
      record.prompts ??= dict();
      record.templates ??= dict();
      this.pinItems(record, catalog, undefined);
      dirty = true;
    }
    const listed = new Set(catalog.tools.map((t) => t.name));
    for (const [name, pin] of Object.entries(record.tools)) {
      if (!listed.has(name)) {
        record.removed[name] = pin;
        delete record.tools[name];
        dirty = true;
      }
    }
    for (const tool of catalog.tools) {
      const gone = record.removed[tool.name];
      if (gone && gone === hashTool(tool)) {
        record.tools[tool.name] = gone;
        delete record.removed[tool.name];
        dirty = true;
      }
    }
    if (dirty) this.commit([catalog.server]);
    if (record.state !== 'approved') return [];
    return [
      ...catalog.tools.map((t) => ({ name: t.name, trust: this.toolStanding(catalog.server, t).trust })),
      ...(['prompt', 'template'] as const).flatMap((kind) => catalogItems(catalog, kind).map((i) => ({ name: `${kind} ${i.name}`, trust: this.itemStanding(catalog.server, kind, i).trust }))),
      ...(catalog.instructions !== undefined ? [{ name: 'instructions to the model', trust: this.instructionsStanding(catalog.server, catalog.instructions) }] : []),
    ].filter((t) => t.trust === 'pending' || t.trust === 'changed');
  }

  /**
   * Pins made before PIN_SCHEME 2 covered less of a definition. Once, a listed tool, prompt or template
   * whose old pin matches what it is now (in the parts then pinned) is pinned whole as it is now: it is
   * what the person approved, as far as that pin could tell. Any change after that waits for a person.
   */
  private upgradePins(record: ServerRecord, catalog: ServerCatalog): boolean {
    if (record.pins === PIN_SCHEME) return false;
    const carry = (pin: Pin | undefined, legacy: string, repin: (state: 'approved' | 'blocked') => Pin): Pin | undefined => {
      if (pin === undefined) return undefined;
      const blocked = isBlocked(pin);
      return (blocked ? pin.slice(BLOCKED.length) : pin) === legacy ? repin(blocked ? 'blocked' : 'approved') : undefined;
    };
    for (const tool of catalog.tools) {
      for (const pins of [record.tools, record.removed]) {
        const next = carry(pins[tool.name], legacyToolHash(tool), (state) => this.pin(catalog.server, tool, state));
        if (next !== undefined) pins[tool.name] = next;
      }
    }
    for (const kind of ['prompt', 'template'] as const) {
      const pins = record[ITEM_KEY[kind]];
      if (!pins) continue;
      for (const item of catalogItems(catalog, kind)) {
        const next = carry(pins[item.name], legacyItemHash(kind, item), (state) => this.pinItem(catalog.server, kind, item, state));
        if (next !== undefined) pins[item.name] = next;
      }
    }
    record.pins = PIN_SCHEME;
    return true;
  }

  /**
   * Pins the listed prompts and templates (those named in `selection`, or all not blocked), and the static
   * resources named, or with none named those the scanner flagged that wait (the others need no pin).
   */
  private pinItems(record: ServerRecord, catalog: ServerCatalog, selection: Selection | undefined): void {
    for (const kind of ITEM_KINDS) {
      const pins = (record[ITEM_KEY[kind]] = dict(record[ITEM_KEY[kind]]));
      const named = selection?.[ITEM_KEY[kind]];
      const items = kind === 'resource' && !named ? this.held(catalog) : catalogItems(catalog, kind);
      for (const item of items) {
        const key = itemKey(kind, item);
        if (named ? !named.includes(key) : isBlocked(pins[key] ?? '')) continue;
        pins[key] = this.pinItem(catalog.server, kind, item, 'approved');
      }
    }
  }

  /** The URIs of a listing's static resources held back for a person: the scanner flagged them (those it has read). */
  heldResources(catalog: ServerCatalog): string[] {
    return this.held(catalog).map((r) => itemKey('resource', r));
  }

  private held(catalog: ServerCatalog): ItemDefinition[] {
    return catalog.resources.filter((r) => flaggedIfScanned(r) === true && waits(this.itemStanding(catalog.server, 'resource', r).trust));
  }

  /** Tools, prompts, templates, flagged resources and changed instructions of an approved server waiting for a person; all of a quarantined one. */
  attention(server: string, catalog: ServerCatalog | undefined): number {
    if (!catalog) return 0;
    return (
      (this.serverTrust(server) === 'approved' && catalog.instructions !== undefined && !this.instructionsApproved(server, catalog.instructions) ? 1 : 0) +
      catalog.tools.filter((t) => waits(this.toolStanding(server, t).trust)).length +
      (['prompt', 'template'] as const).reduce((n, kind) => n + catalogItems(catalog, kind).filter((i) => waits(this.itemStanding(server, kind, i).trust)).length, 0) +
      this.held(catalog).length
    );
  }

  /**
   * Approves a server, and pins its listed tools, prompts and resource templates (all of them when no
   * selection is given; what a person blocked stays blocked). With no listing known, the first listing is
   * pinned.
   */
  approve(server: string, catalog: ServerCatalog | undefined, selection?: Selection): Promise<void> {
    return this.decide([server], () => this.approveNow(server, catalog, selection));
  }

  private approveNow(server: string, catalog: ServerCatalog | undefined, selection?: Selection): void {
    const record = this.require(server);
    if (catalog) this.upgradePins(record, catalog);
    // Its instructions as they are now go with the server, unless the items approved were named and they were
    // left out (by default, only a first approval of named items takes them along).
    const withInstructions = selection ? (selection.instructions ?? record.state !== 'approved') : true;
    if (catalog && withInstructions) record.instructions = instructionsHash(catalog.instructions);
    else if (record.state !== 'approved') record.instructions = '';
    record.state = 'approved';
    delete record.reason;
    record.since = Date.now();
    if (!catalog) {
      if (!selection) record.pinOnFirstList = true;
      return;
    }
    const tools = selection ? (selection.tools ?? []) : undefined;
    for (const tool of catalog.tools) {
      if (tools ? !tools.includes(tool.name) : isBlocked(record.tools[tool.name] ?? '')) continue;
      record.tools[tool.name] = this.pin(server, tool, 'approved');
      delete record.removed[tool.name];
    }
    this.pinItems(record, catalog, selection && { prompts: selection.prompts ?? [], templates: selection.templates ?? [], resources: selection.resources ?? [] });
  }

  /** Blocks a whole server, or the given tools, prompts and templates of it. */
  block(server: string, catalog: ServerCatalog | undefined, selection?: Selection): Promise<void> {
    return this.decide([server], () => this.blockNow(server, catalog, selection));
  }

  private blockNow(server: string, catalog: ServerCatalog | undefined, selection?: Selection): void {
    const record = this.require(server);
    if (catalog) this.upgradePins(record, catalog);
    if (!selection) {
      record.state = 'blocked';
      delete record.reason;
      record.since = Date.now();
      return;
    }
    for (const name of selection.tools ?? []) {
      const tool = catalog?.tools.find((t) => t.name === name);
      record.tools[name] = tool ? this.pin(server, tool, 'blocked') : BLOCKED;
    }
    for (const kind of ITEM_KINDS) {
      const pins = (record[ITEM_KEY[kind]] = dict(record[ITEM_KEY[kind]]));
      for (const name of selection[ITEM_KEY[kind]] ?? []) {
        const item = catalogItems(catalog, kind).find((i) => itemKey(kind, i) === name);
        pins[name] = item ? this.pinItem(server, kind, item, 'blocked') : BLOCKED;
      }
    }
  }

  removedTools(server: string): string[] {
    return Object.keys(this.data.servers[server]?.removed ?? {});
  }

  /** The approved definition of a tool the server no longer lists. */
  removedDefinition(server: string, name: string): PinnedDefinition | undefined {
    return Object.hasOwn(this.data.servers[server]?.removed ?? {}, name) ? this.definitions(server)[name] : undefined;
  }

  // ---- Per-call policy ----

  get strict(): boolean {
    return this.data.strict === true;
  }

  setStrict(strict: boolean): Promise<void> {
    return this.decide([], () => {
      this.data.strict = strict;
    });
  }

  /** A person's rule for a server (all its tools) or one tool; `undefined` goes back to the default. */
  setRule(server: string, tool: string | undefined, rule: CallRule | undefined): Promise<void> {
    return this.decide([server], () => {
      const record = this.require(server);
      const policy = (record.policy ??= {});
      if (tool) {
        policy.tools = dict(policy.tools);
        if (rule) policy.tools[tool] = rule;
        else delete policy.tools[tool];
      } else if (rule) policy.default = rule;
      else delete policy.default;
    });
  }

  rules(): { server: string; tool?: string; rule: CallRule }[] {
    return Object.entries(this.data.servers).flatMap(([server, r]) => [
      ...(r.policy?.default ? [{ server, rule: r.policy.default }] : []),
      ...Object.entries(r.policy?.tools ?? {}).map(([tool, rule]) => ({ server, tool, rule })),
    ]);
  }

  /**
   * What happens when an agent calls this tool: the person's rule for the tool, else for the server,
   * else ask for tools annotated destructive (and, when strict, for tools with no such annotations).
   */
  rule(server: string, tool: ToolDefinition): CallRule {
    const policy = this.data.servers[server]?.policy;
    const set = policy?.tools?.[tool.name] ?? policy?.default;
    if (set) return set;
    const a = tool.annotations ?? {};
    if (a.readOnlyHint === true) return 'allow';
    if (a.destructiveHint === true) return 'ask';
    if (this.strict && a.destructiveHint === undefined && a.readOnlyHint === undefined) return 'ask';
    return 'allow';
  }

  private require(server: string): ServerRecord {
    const record = this.data.servers[server];
    if (!record) throw new Error(`no server named "${server}"`);
    return record;
  }

  /** Persists (one write after another, in order) and tells listeners. A failed write is reported, not swallowed. */
  private commit(servers: string[]): void {
    this.changed(servers);
    void this.persist().catch((err: Error) => this.emit('write-failed', err, servers));
    for (const s of servers) this.emit('change', s);
  }

  private changed(keys: string[]): void {
    for (const key of keys) this.unsaved.set(key, (this.unsaved.get(key) ?? 0) + 1);
  }

  /**
   * Queues a write; resolves when it is on disk. Under the file's lock, what another process wrote since
   * our last look is taken in first, so its decisions are written back with ours, not over.
   */
  private persist(): Promise<void> {
    const write = this.writing.then(() =>
      withFileLock(this.file, async () => {
        const adopted = this.adopt(await fs.readFile(this.file, 'utf8').catch(() => undefined));
        this.data.generation = (this.data.generation ?? 0) + 1;
        const text = this.serialize();
        const written = new Map(this.unsaved);
        const pins = [
          ...[...this.dirtyDefs].map((s) => [this.pinsFile(s), JSON.stringify(this.definitions(s))] as const),
          ...[...this.dirtyItems].map((key) => [this.itemsFile(key), JSON.stringify(this.itemDefs.get(key) ?? {})] as const),
        ];
        this.dirtyDefs.clear();
        this.dirtyItems.clear();
        for (const [file, json] of pins) await writeFileAtomic(file, json);
        await writeFileAtomic(this.file, text);
        if (!this.awaitingMend) this.seal?.recordGeneration(this.data.generation);
        this.lastText = text;
        for (const [key, count] of written) if (this.unsaved.get(key) === count) this.unsaved.delete(key);
        for (const s of adopted) this.emit('change', s);
      }),
    );
    this.writing = write.catch(() => undefined);
    return write;
  }

  /**
   * Takes in another process's write of trust.json: its record of every server not changed here since our
   * last write (and its strict setting, unless changed here) replaces ours. Returns the servers that changed.
   * A write not another Gatehouse's is taken in not at all: ours goes back over it (at once with
   * `writeBack`; otherwise the caller is writing), and a person hears of it once.
   */
  private adopt(text: string | undefined, writeBack = false): string[] {
    if (text === undefined || text === this.lastText) return [];
    const read = this.read(text, false);
    // No Gatehouse writes a file it cannot read back either.
    if ('problem' in read) {
      if (text !== this.refused) {
        this.refused = text;
        this.emit('changed-outside', `${this.file} was changed outside Gatehouse (${read.problem}): Gatehouse's own decisions were written back over it.`);
      }
      if (writeBack && this.mayWriteBack()) void this.persist().catch((err: Error) => this.emit('write-failed', err, []));
      return [];
    }
    const theirs = read.data;
    this.lastText = text;
    this.data.generation = theirs.generation;
    if (!this.unsaved.has(STRICT)) this.data.strict = theirs.strict;
    const adopted: string[] = [];
    for (const name of new Set([...Object.keys(this.data.servers), ...Object.keys(theirs.servers)])) {
      if (this.unsaved.has(name)) continue;
      const record = Object.hasOwn(theirs.servers, name) ? copyRecord(theirs.servers[name]) : undefined;
      if (canonicalJson(record) === canonicalJson(this.data.servers[name])) continue;
      if (record) this.data.servers[name] = record;
      else delete this.data.servers[name];
      // Its pinned definitions are read again from disk when next needed.
      this.defs.delete(name);
      for (const kind of ITEM_KINDS) this.itemDefs.delete(`${kind}/${name}`);
      adopted.push(name);
    }
    return adopted;
  }

  /**
   * At most three write-backs a minute: two processes that somehow hold different keys would otherwise
   * write over each other without end. Past that the decisions held here stand until the next one is saved.
   */
  private mayWriteBack(): boolean {
    const now = Date.now();
    this.writtenBack = this.writtenBack.filter((at) => now - at < 60_000);
    if (this.writtenBack.length >= 3) return false;
    this.writtenBack.push(now);
    return true;
  }

  /**
   * Forgets a server (removed through Gatehouse). A server that is merely absent from one reading of
   * config.json keeps its record: an editor that empties the file for a moment must not cost any approval.
   */
  forget(name: string): void {
    if (!Object.hasOwn(this.data.servers, name)) return;
    delete this.data.servers[name];
    this.dropDefinitions(name);
    this.commit([name]);
  }

  /**
   * A person's decision: taken only once it is on disk. When the write fails the records go back to
   * what they were, nobody is told of a change, and the error says so.
   */
  private async decide(servers: string[], change: () => void): Promise<void> {
    const before = servers.map((s) => [s, copyRecord(this.data.servers[s])] as const);
    const strict = this.data.strict;
    change();
    const keys = this.data.strict === strict ? servers : [...servers, STRICT];
    this.changed(keys);
    try {
      await this.persist();
    } catch (err) {
      for (const [s, record] of before) if (record) this.data.servers[s] = record;
      this.data.strict = strict;
      // Put back as they were: what another process writes of them may be taken in again.
      for (const key of keys) this.unsaved.delete(key);
      for (const s of servers) {
        // Pinned definitions are read again from disk, as they were before.
        this.defs.delete(s);
        this.dirtyDefs.delete(s);
        for (const kind of ITEM_KINDS) {
          this.itemDefs.delete(`${kind}/${s}`);
          this.dirtyItems.delete(`${kind}/${s}`);
        }
      }
      throw new TrustWriteError(err);
    }
    for (const s of servers) this.emit('change', s);
  }

  /**
   * Follows decisions another Gatehouse process on this home saves (a second `gatehouse stdio` started by
   * another client, say): when trust.json changes and it is not our own write, it is read again and every
   * server is re-evaluated, so a block made there takes effect here too.
   */
  watch(): void {
    if (this.watcher) return;
    const base = path.basename(this.file);
    try {
      this.watcher = watch(path.dirname(this.file), (_event, name) => {
        if (name && name !== base) return;
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => void this.reloadIfChanged(), 100);
      });
      this.watcher.on('error', () => undefined);
    } catch {
      // No state folder to watch yet: nothing another process could have written either.
    }
  }

  stop(): void {
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private async reloadIfChanged(): Promise<void> {
    await this.writing;
    const text = await fs.readFile(this.file, 'utf8').catch(() => undefined);
    for (const name of this.adopt(text, true)) this.emit('change', name);
  }

  /** Resolves when every write so far is on disk, and its generation in the keychain. */
  async flush(): Promise<void> {
    await this.writing;
    await this.seal?.recorded();
  }
}

function instructionsHash(instructions: string | undefined): string {
  return createHash('sha256').update(instructions ?? '').digest('base64url');
}

function copyRecord(record: ServerRecord | undefined): ServerRecord | undefined {
  if (!record) return undefined;
  const policy = record.policy ? { ...record.policy, ...(record.policy.tools ? { tools: dict(record.policy.tools) } : {}) } : undefined;
  return {
    ...record,
    tools: dict(record.tools),
    removed: dict(record.removed),
    ...(record.prompts ? { prompts: dict(record.prompts) } : {}),
    ...(record.templates ? { templates: dict(record.templates) } : {}),
    ...(record.resources ? { resources: dict(record.resources) } : {}),
    ...(policy ? { policy } : {}),
  };
}

/** What a server's container gives up under the config being applied (see `containerGivesUp`). */
export type ContainerOf = (name: string, config: ServerConfig) => string[] | undefined;

/** Why an approved server's container sends it back to review, when it gives up more than approved. */
function containerReason(approved: string[], now: string[]): string | undefined {
  const loosened = loosenedSince(approved, now);
  return loosened.length ? `its container gives up more than when approved: ${loosened.join('; ')}` : undefined;
}
