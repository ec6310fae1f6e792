// What each admin method does, in terms of the core's port.
import { fingerprint } from '../vault/index.js';
import { randomUUID } from 'node:crypto';
import type { ApiEvent, MethodName, MethodOutput, ParsedInput } from '../../../src-shared/api/index.js';
import { ApiError } from '../../../src-shared/api/index.js';
import type { ServerConfig } from '../../../src-shared/config/schema.js';
import { ownIsolationWith } from '../../../src-shared/config/container.js';
import { RETENTION_FLOOR, retentionOf, type Retention } from '../../../src-shared/config/retention.js';
import type { ToolDefinition } from '../../../src-shared/catalog.js';
import { toolId } from '../../../src-shared/ids.js';
import { VERSION } from '../../../src-shared/version.js';
import { parameterSummary, shortDescription } from '../gateway/index.js';
import { protectionsGivenUp } from '../config/index.js';
import { IsolationConfigError, IsolationUnavailable, parseImageRef, pinnedImageRef, serverImage } from '../isolation/index.js';
import { argsWithRelease, newestRelease, packageIndex, packageRun, ReleaseLookupError } from '../servers/index.js';
import { ListingError, parseListing, scanListing, targetOf, type Selection } from '../security/index.js';
import type { Actor } from '../activity/index.js';
import { imageRows, withImageRow } from './image-rows.js';
import type { AdminCore } from './port.js';

export type Handlers = { [M in MethodName]: (input: ParsedInput<M>, actor: Actor) => Promise<MethodOutput<M>> };

export function createHandlers(core: AdminCore, publish: (event: ApiEvent) => void): Handlers {
  const changedClient = <T>(client: string, output: T): T => {
    publish({ type: 'clients.changed', payload: { client } });
    return output;
  };
  // Said the same to the window, the CLI and a script: the names there are, not a method to call.
  const noSuchServer = (name: string) => {
    const names = core.servers.names();
    const there = names.length ? `The configured ones: ${names.slice(0, 20).map((n) => `"${n}"`).join(', ')}${names.length > 20 ? ` and ${names.length - 20} more` : ''}.` : 'No servers are configured.';
    return new ApiError('not_found', `No server named "${name}". ${there}`);
  };
  const known = (name: string) => {
    if (!core.servers.config(name)) throw noSuchServer(name);
  };
  const serverInfo = (name: string) => {
    const config = core.servers.config(name);
    const status = core.servers.status(name);
    if (!config || !status) throw noSuchServer(name);
    return { ...status, target: core.redact(targetOf(config)), description: config.description, enabled: config.enabled !== false, ...core.decisions.standing(name) };
  };
  const summary = (server: string, tool: ToolDefinition) => ({
    id: toolId(server, tool.name),
    server,
    name: tool.name,
    title: tool.title,
    description: tool.description,
  });
  const asResult = (result: { content?: unknown[]; structuredContent?: unknown; isError?: boolean }) => ({
    content: (result.content ?? []) as MethodOutput<'tools.call'>['result']['content'],
    structuredContent: result.structuredContent as Record<string, unknown> | undefined,
    isError: result.isError,
  });

  return {
    'status.get': async () => ({
      version: VERSION,
      pid: process.pid,
      gateway: { url: core.gateway.url(), mode: core.config().mode },
      search: core.visibility.searchStatus(),
      configPath: core.configPath,
      servers: core.servers.statuses().map((status) => ({ ...status, trust: core.decisions.trustOf(status.name) })),
    }),

    'servers.list': async () => ({ servers: core.servers.names().map(serverInfo) }),

    'servers.get': async ({ name }) => {
      const server = serverInfo(name);
      return { server, config: core.servers.config(name)!, tools: core.listedTools(name).map((t) => summary(name, t)) };
    },

    'servers.add': async ({ name, config }) => {
      const secrets = await core.servers.add(name, config as ServerConfig);
      return { server: serverInfo(name), secrets };
    },

    'servers.update': async ({ name, config }) => {
      const secrets = await core.servers.update(name, config as ServerConfig);
      return { server: serverInfo(name), secrets };
    },

    'servers.pinRelease': async ({ name, version }) => {
      known(name);
      const entry = core.servers.config(name)!;
      const run = entry.command ? packageRun(entry.command, entry.args) : undefined;
      if (!run) throw new ApiError('invalid_input', `"${name}" runs no package from a registry (through npx, uvx, pipx…): there is no release to pin.`);
      if (run.version && version === undefined) throw new ApiError('conflict', `"${name}" already runs ${run.name} ${run.version}; name another version to change it.`);
      let exact = version;
      try {
        exact ??= await newestRelease(run, packageIndex(run, entry.env));
      } catch (err) {
        if (err instanceof ReleaseLookupError) throw new ApiError('unavailable', `${err.message}. Name the version to pin instead.`);
        throw err;
      }
      if (!argsWithRelease(run, entry.args ?? [], exact)) {
        throw new ApiError('invalid_input', `"${exact}" is not an exact release of ${run.name} this command can name (say one such as ${run.registry === 'npm' ? '1.2.3' : '1.2'}).`);
      }
      let args: string[] = [];
      // Read again from the file as it is now: the registry may have taken seconds to answer.
      await core.updateConfig((raw) => {
        const servers = raw.mcpServers as Record<string, { command?: unknown; args?: unknown }> | undefined;
        const own = servers && Object.hasOwn(servers, name) ? servers[name] : undefined;
        const ownArgs = Array.isArray(own?.args) && own.args.every((a) => typeof a === 'string') ? (own.args as string[]) : [];
        const now = typeof own?.command === 'string' ? packageRun(own.command, ownArgs) : undefined;
        const pinned = now?.name === run.name ? argsWithRelease(now, ownArgs, exact) : undefined;
        if (!own || !pinned) throw new ApiError('conflict', `"${name}" changed in config.json while its newest release was asked for; try again.`);
        own.args = args = pinned;
      });
      return { server: serverInfo(name), release: `${run.name} ${exact}`, args };
    },

    'servers.pinImage': async ({ name }) => {
      known(name);
      const entry = core.servers.config(name)!;
      let runs;
      try {
        runs = serverImage(entry, core.config());
      } catch (err) {
        if (err instanceof IsolationConfigError) throw new ApiError('invalid_input', `"${name}" cannot start: ${err.message}.`);
        throw err;
      }
      if (!runs) throw new ApiError('invalid_input', `"${name}" runs in no container: there is no image to pin.`);
      if (parseImageRef(runs.image).digest) throw new ApiError('conflict', `"${name}" already runs ${runs.image}, named by its digest.`);
      let image: string;
      try {
        image = pinnedImageRef(runs.image, await core.images.digest(runs.image));
      } catch (err) {
        if (err instanceof IsolationUnavailable) throw new ApiError('unavailable', `Could not pin the image of "${name}": ${err.message}`);
        throw err;
      }
      const ownImage = (isolation: unknown) => (isolation && typeof isolation === 'object' ? (isolation as { image?: unknown }).image : undefined);
      // The same image by its digest: an approved server stays approved.
      core.decisions.serverImagePinned(name, { from: runs.image, image });
      // Read again from the file as it is now: a pull may have taken minutes.
      await core.updateConfig((raw) => {
        const servers = raw.mcpServers as Record<string, { args?: unknown; isolation?: unknown }> | undefined;
        const own = servers && Object.hasOwn(servers, name) ? servers[name] : undefined;
        const args = Array.isArray(own?.args) ? (own.args as unknown[]) : [];
        const same = runs.argIndex !== undefined ? args[runs.argIndex] === runs.image : ownImage(own?.isolation) === ownImage(entry.isolation);
        if (!own || !same) throw new ApiError('conflict', `"${name}" changed in config.json while its image was pulled; try again.`);
        if (runs.argIndex !== undefined) args[runs.argIndex] = image;
        else own.isolation = ownIsolationWith(own.isolation, { image });
      });
      return { server: serverInfo(name), image };
    },

    'servers.remove': async ({ name }) => {
      await core.servers.remove(name);
      return { removed: name };
    },

    'servers.enable': async ({ name }) => {
      await core.servers.setEnabled(name, true);
      return { server: serverInfo(name) };
    },

    'servers.disable': async ({ name }) => {
      await core.servers.setEnabled(name, false);
      return { server: serverInfo(name) };
    },

    'servers.restart': async ({ name }) => {
      await core.servers.restart(name);
      return { server: serverInfo(name) };
    },

    'servers.logs': async ({ name, limit }) => {
      serverInfo(name);
      return { lines: core.servers.logs(name, limit) };
    },

    'servers.review': async ({ name, refresh }) => {
      serverInfo(name);
      return { review: await core.decisions.review(name, refresh) };
    },

    'servers.reviewed': ({ name }) => {
      serverInfo(name);
      return core.decisions.reviewed(name).then((reviewed) => ({ reviewed }));
    },

    'servers.approve': async ({ name, tools, prompts, resourceTemplates, resources, instructions, reviewed }) => {
      serverInfo(name);
      // `instructions` alone names them alone: an approved server's changed instructions, and nothing else.
      const named = selection(tools, prompts, resourceTemplates, resources) ?? (instructions !== undefined ? {} : undefined);
      await core.decisions.approve(name, named && instructions !== undefined ? { ...named, instructions } : named, reviewed);
      return { server: serverInfo(name) };
    },

    'servers.block': async ({ name, tools, prompts, resourceTemplates, resources }) => {
      serverInfo(name);
      await core.decisions.block(name, selection(tools, prompts, resourceTemplates, resources));
      return { server: serverInfo(name) };
    },

    'policy.get': async () => core.decisions.policy(),

    'policy.set': async ({ server, tool, rule }) => {
      serverInfo(server);
      await core.decisions.setRule(server, tool, rule === 'default' ? undefined : rule);
      // Kept all the same: a rule may be set ahead of a tool; but a mistyped name should not pass unseen.
      const listed = tool === undefined || rule === 'default' ? undefined : core.listedTools(server);
      const note =
        listed && !listed.some((t) => t.name === tool)
          ? listed.length
            ? `"${server}" lists no tool "${tool}" now: the rule applies if one of that name appears.`
            : `"${server}" has not been listed yet: the rule applies if it lists a tool "${tool}".`
          : undefined;
      return { server, tool, rule, ...(note ? { note } : {}) };
    },

    'policy.strict': async ({ strict }) => {
      await core.decisions.setStrict(strict);
      return { strict };
    },

    'approvals.list': async () => ({ requests: core.approvals.list() }),

    'approvals.answer': async ({ id, allow }) => {
      if (!core.approvals.answer(id, allow)) throw new ApiError('not_found', `No call "${id}" is waiting: it was answered, ran out of time or was withdrawn. \`approvals.list\` shows the waiting ones.`);
      return { id, allowed: allow };
    },

    'tools.list': async ({ server }) => {
      if (server) serverInfo(server);
      await core.visibility.catalogueNew();
      return { tools: core.visibility.tools(server).map(({ server: s, tool }) => summary(s, tool)) };
    },

    'tools.get': async ({ id }) => {
      const found = core.visibility.find(id);
      if (!found) throw new ApiError('not_found', `No tool "${id}". \`tools.search\` finds tools by what they do.`);
      const { server, tool } = found;
      return {
        tool: { ...summary(server, tool), inputSchema: tool.inputSchema, outputSchema: tool.outputSchema, annotations: tool.annotations },
      };
    },

    'scanner.scan': async ({ text }) => {
      let entries;
      try {
        entries = parseListing(text);
      } catch (err) {
        throw err instanceof ListingError ? new ApiError('invalid_input', err.message) : err;
      }
      const scanned = await scanListing(entries);
      const items = scanned.map((item, i) => ({ ...item, definition: entries[i].definition as Record<string, unknown> }));
      return { definitions: items.length, flagged: items.filter((i) => i.flagged).length, items };
    },

    'tools.search': async ({ query, limit }) => {
      await core.visibility.catalogueNew();
      return {
        results: (await core.visibility.search(query, limit)).map((h) => ({
          id: h.id,
          server: h.server,
          name: h.tool.name,
          description: shortDescription(h.tool.description ?? h.tool.title),
          params: parameterSummary(h.tool),
          score: h.score,
        })),
      };
    },

    'tools.call': async ({ id, arguments: args, maxChars }, actor) => {
      await core.visibility.catalogued();
      const outcome = await core.calls.call({ id, arguments: args, by: { kind: 'person', via: 'admin', client: actor === 'person:ui' ? 'window' : 'cli' }, maxChars });
      const { status, error } = outcome.record;
      // Refusals are errors of the request; an upstream that could not be reached is unavailable.
      if (status === 'unknown') throw new ApiError('not_found', error ?? `No tool "${id}".`);
      if (status === 'unavailable') throw new ApiError('invalid_input', `${error} (gatehouse servers review ${outcome.record.server})`);
      if (status === 'denied') throw new ApiError('forbidden', error ?? `The call to ${id} was not made.`);
      if (outcome.failure) throw new ApiError('unavailable', outcome.failure.message);
      return { result: asResult(outcome.result), ...(outcome.cut ? { cut: outcome.cut } : {}) };
    },

    'tools.readResult': async ({ handle, offset, maxChars }) => {
      const result = core.calls.readResult(handle, offset, maxChars);
      if (result.isError) throw new ApiError('not_found', String((result.content[0] as { text?: string } | undefined)?.text ?? `No result "${handle}".`));
      return { result: asResult(result) };
    },

    'catalog.refresh': async ({ servers }) => {
      for (const name of servers ?? []) serverInfo(name);
      const names = servers ?? core.servers.names().filter((n) => core.servers.config(n)?.enabled !== false);
      const id = randomUUID();
      let done = 0;
      publish({ type: 'progress', payload: { operation: 'catalog.refresh', id, done, total: names.length } });
      const results = await Promise.all(
        names.map(async (name) => {
          const outcome = (await core.servers.refresh([name])).get(name);
          done++;
          publish({ type: 'progress', payload: { operation: 'catalog.refresh', id, done, total: names.length, message: name } });
          if (!outcome) return { server: name, ok: false, error: core.visibility.unavailable(name) ?? 'disabled' };
          return outcome instanceof Error ? { server: name, ok: false, error: outcome.message } : { server: name, ok: true, toolCount: outcome.tools.length };
        }),
      );
      return { results };
    },

    'config.get': async () => ({ path: core.configPath, config: core.config() as Record<string, unknown> }),

    'secrets.list': async () => ({ store: core.secrets.store.description, secrets: await core.secrets.list() }),

    'secrets.set': async ({ name, value }) => {
      await core.secrets.set(name, value);
      return { name };
    },

    'secrets.delete': async ({ name }) => ({ name, deleted: await core.secrets.delete(name) }),

    'secrets.reveal': async ({ name }) => {
      const value = await core.secrets.reveal(name);
      if (value === undefined) throw new ApiError('not_found', `No secret named "${name}". \`secrets.list\` shows the names.`);
      return { name, value };
    },

    'gateway.connection': async ({ server }) => {
      const unavailable = server === undefined ? undefined : core.gateway.unavailableServer(server);
      return { url: core.gateway.url(), token: await core.gateway.token(), stdio: core.gateway.stdio(), ...(unavailable && { unavailable }) };
    },

    'gateway.rotateToken': async () => ({ token: await core.gateway.rotateToken() }),

    'settings.get': async () => ({ settings: settingsOf(core) }),

    'settings.set': async (changes) => {
      await core.updateConfig(settingsChange(changes));
      return { settings: settingsOf(core) };
    },

    'settings.preview': async (changes) => {
      const next = await core.previewConfig(settingsChange(changes));
      return { sentBack: core.decisions.sentBackBy(next), givenUp: protectionsGivenUp(core.config(), next) };
    },

    'settings.images': async () => {
      const images = [];
      for (const row of imageRows(core.config())) {
        // What pinning would cost, read from the config as it would be: any digest changes the image alike.
        const pinning = { from: row.image, image: pinnedImageRef(row.image, ANY_DIGEST) };
        const next = row.pinned || !row.servers.length ? undefined : await core.previewConfig(withImageRow(row.runtime, pinning.image));
        const sentBack = next ? core.decisions.sentBackBy(next, pinning) : [];
        // The digest is known only once pulled: the reason says so rather than show a stand-in.
        images.push({ ...row, sentBack: sentBack.map((s) => ({ ...s, reason: s.reason.replaceAll(ANY_DIGEST, 'sha256:…') })) });
      }
      return { images };
    },

    'settings.pinImages': async ({ runtimes }) => {
      const rows = imageRows(core.config());
      const unknown = (runtimes ?? []).filter((r) => !rows.some((row) => row.runtime === r));
      if (unknown.length) throw new ApiError('invalid_input', `There is no runtime "${unknown[0]}": the runtimes are ${rows.map((r) => r.runtime).join(', ')}.`);
      const chosen = runtimes ? rows.filter((row) => runtimes.includes(row.runtime)) : rows.filter((row) => (row.servers.length || row.relays.length) && !row.pinned);
      if (!chosen.length) throw new ApiError('invalid_input', 'No server runs in an image of the table that is not named by its digest yet; name a runtime to pin its image anyway.');
      const done = chosen.find((row) => row.pinned);
      if (done) throw new ApiError('conflict', `The ${done.runtime} image, ${done.image}, is named by its digest already.`);
      const pinned: { runtime: string; from: string; image: string }[] = [];
      for (const row of chosen) {
        try {
          pinned.push({ runtime: row.runtime, from: row.image, image: pinnedImageRef(row.image, await core.images.digest(row.image)) });
        } catch (err) {
          if (err instanceof IsolationUnavailable) throw new ApiError('unavailable', `Could not pin the ${row.runtime} image: ${err.message}`);
          throw err;
        }
      }
      // The servers that ran the tags run the same images by their digests: they stay approved.
      for (const p of pinned) core.decisions.imagePinned({ from: p.from, image: p.image });
      // Read again from the file as it is now: a pull may have taken minutes.
      await core.updateConfig((raw) => pinned.forEach((p) => withImageRow(p.runtime, p.image, { image: p.from, changed: imagesChanged })(raw)));
      return { images: pinned.map(({ runtime, image }) => ({ runtime, image })) };
    },

    'activity.query': async ({ limit, ...filter }) => {
      const records = await core.activity.query({ ...filter, limit: limit + 1 });
      const page = records.slice(0, limit);
      return { records: page, ...(records.length > limit ? { next: page[page.length - 1].seq } : {}) };
    },

    'activity.stats': async (filter) => ({ tools: await core.activity.stats(filter) }),

    'activity.verify': async () => core.activity.verify(),

    'auth.status': async ({ name }) => {
      if (name !== undefined) {
        known(name);
        const one = await core.signIns.status(name);
        return { signIns: one ? [one] : [] };
      }
      return { signIns: await core.signIns.all() };
    },

    'auth.login': async ({ name }) => {
      known(name);
      // Answers once the authorization page is known (or the sign-in ends first: it needed no page, or failed).
      let shown: (url: string) => void = () => undefined;
      const page = new Promise<string>((resolve) => (shown = resolve));
      const done = core.signIns.login(name, { open: (url) => shown(url) });
      done.catch(() => undefined);
      const first = await Promise.race([page, done.then(() => undefined)]);
      const signIn = (await core.signIns.status(name))!;
      return { signIn, ...(first ? { authorizationUrl: first } : {}) };
    },

    'auth.logout': async ({ name }) => {
      known(name);
      return { signIn: await core.signIns.logout(name) };
    },

    'clients.list': async ({ workspace }) => ({ clients: await core.clients.list(workspace) }),

    'clients.preview': async ({ id, action, workspace }) => ({
      preview: action === 'connect' ? await core.clients.previewConnect(id, workspace) : await core.clients.previewDisconnect(id, workspace),
    }),

    'clients.connect': async ({ id, expected, workspace }) => changedClient(id, { client: await core.clients.connect(id, expected, workspace) }),

    'clients.disconnect': async ({ id, expected, workspace }) => changedClient(id, { client: await core.clients.disconnect(id, expected, workspace) }),

    'clients.profile': async ({ id, servers, workspace }) => changedClient(id, { client: await core.clients.setProfile(id, servers ?? undefined, workspace) }),

    'clients.undo': async ({ id, workspace }) => changedClient(id, { client: await core.clients.undo(id, workspace) }),

    'clients.import': async ({ id, names, removeFromClient, workspace }) => changedClient(id, await core.clients.importServers(id, { names, removeFromClient, workspace })),

    'vault.status': async () => {
      const key = await core.vaultKey.get();
      const vaults = Object.entries(core.config().mcpServers)
        .filter(([, s]) => s.type === 'vault' && s.vault && s.url)
        .map(([name, s]) => ({ name, url: core.redact(s.url!), fingerprint: fingerprint(s.vault!), state: core.servers.status(name)?.state ?? 'idle', trust: core.decisions.standing(name).trust }));
      return { ...(key ? { key: { fingerprint: fingerprint(key), ...key } } : {}), vaults };
    },

    'vault.keygen': async () => {
      if (await core.vaultKey.get()) throw new ApiError('conflict', 'This Gatehouse already has a vault key: replacing it would cut it off from every vault that authorized it.');
      const key = await core.vaultKey.make();
      return { key: { fingerprint: fingerprint(key), ...key } };
    },

    'ui.login': async () => {
      const url = core.ui.loginUrl();
      if (!url) throw new ApiError('unavailable', 'The window is served by `gatehouse serve`: start it, then ask again.');
      return { url };
    },
  };
}

/** A digest for reckoning what pinning costs: which digest it is changes nothing of that. */
const ANY_DIGEST = `sha256:${'0'.repeat(64)}`;
const imagesChanged = () => new ApiError('conflict', "config.json's images changed while the image was pulled; try again.");

/**
 * Writes the settings given into the raw config: the contract's schema names them; each given one replaces
 * its key, isolation merges, and `management` stands for two keys.
 */
function settingsChange(changes: ParsedInput<'settings.set'>): (raw: Record<string, unknown>) => void {
  return (raw) => {
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      if (key === 'management') {
        // Two keys of config.json, each written only when on (a file without them stays without them);
        // not offering the tool leaves what it may do, should it be offered again, as it was.
        if (value === 'off') raw.disableManagement = true;
        else delete raw.disableManagement;
        if (value === 'list') raw.readOnly = true;
        else if (value === 'full') delete raw.readOnly;
        continue;
      }
      const current = raw[key];
      if (key !== 'isolation' && key !== 'activity') {
        raw[key] = value;
        continue;
      }
      const merged: Record<string, unknown> = { ...(current && typeof current === 'object' ? current : {}), ...(value as object) };
      for (const [limit, given] of Object.entries(merged)) if (given === null) delete merged[limit];
      raw[key] = merged;
    }
  };
}

function settingsOf(core: AdminCore): MethodOutput<'settings.get'>['settings'] {
  const config = core.config();
  const forced = core.managementForced();
  const iso = config.isolation ?? {};
  const asked = config.activity ?? {};
  const raised = Object.fromEntries((Object.keys(RETENTION_FLOOR) as (keyof Retention)[]).flatMap((key) => (asked[key] !== undefined && asked[key] < RETENTION_FLOOR[key] ? [[key, asked[key]]] : [])));
  return {
    mode: config.mode,
    maxResultChars: config.maxResultChars,
    callTimeoutSeconds: config.callTimeoutSeconds,
    idleTimeoutMinutes: config.idleTimeoutMinutes,
    approvalTimeoutSeconds: config.approvalTimeoutSeconds,
    searchByMeaning: config.searchByMeaning,
    removeHiddenText: config.removeHiddenText,
    management: config.disableManagement ? 'off' : config.readOnly ? 'list' : 'full',
    ...(forced ? { managementForced: forced } : {}),
    isolation: { enabled: iso.enabled === true, network: iso.network ?? 'none', memory: iso.memory, cpus: iso.cpus, fallback: iso.fallback ?? 'none' },
    activity: retentionOf(config.activity),
    ...(Object.keys(raised).length ? { activityRaised: raised } : {}),
  };
}

/** The part of a server a decision covers: the items named, or (none named) the whole server. */
function selection(tools?: string[], prompts?: string[], templates?: string[], resources?: string[]): Selection | undefined {
  if (!tools && !prompts && !templates && !resources) return undefined;
  return { ...(tools ? { tools } : {}), ...(prompts ? { prompts } : {}), ...(templates ? { templates } : {}), ...(resources ? { resources } : {}) };
}
