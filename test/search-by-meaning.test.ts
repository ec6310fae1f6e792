// Search by meaning with the bundled model, run the way `serve` runs it: in its worker, with tool vectors
// cached on disk, and keywords answering whenever the model cannot.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SemanticSearch, ToolSearch, type SemanticStatus } from '../src-main/core/search/index.js';
import type { ToolDefinition } from '../src-shared/catalog.js';
import type { ApiEvent } from '../src-shared/api/index.js';
import { openCore, ROOT, runCli, serveWithClient, servers, startServe, tempHome, textOf, waitFor } from './helpers.js';

const WORKER = path.join(ROOT, 'dist', 'src-main', 'core', 'search', 'semantic', 'search-worker.js');
const catalog = JSON.parse(readFileSync(path.join(ROOT, 'bench', 'data', 'npm-servers.catalog.json'), 'utf8')) as {
  servers: { name: string; tools: ToolDefinition[] }[];
};
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function stateDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-search-'));
  dirs.push(dir);
  return dir;
}

function searchOver(semantic?: SemanticSearch): ToolSearch {
  const search = new ToolSearch(semantic);
  for (const s of catalog.servers) search.setServer(s.name, s.tools);
  return search;
}

const allEmbedded = (semantic: SemanticSearch) =>
  waitFor(() => {
    const s = semantic.status();
    if (s.state === 'unavailable') throw new Error(s.reason);
    return s.state === 'ready' && s.total > 0 && s.embedded === s.total;
  }, 'every tool embedded', 60_000);

const ids = async (search: ToolSearch, query: string, limit = 3) => (await search.search(query, limit)).map((h) => h.id);

describe('search by meaning', () => {
  const dir = stateDir();
  const tools = catalog.servers.reduce((n, s) => n + s.tools.length, 0);

  it('finds a tool that shares no words with the query, once every tool is embedded', async () => {
    const semantic = new SemanticSearch({ stateDir: dir, workerScript: WORKER });
    const search = searchOver(semantic);
    const query = 'how big is this document on disk';
    semantic.start();
    // Until the model is ready, keywords answer at once (they do not find it).
    expect(await ids(search, query)).not.toContain('filesystem__get_file_info');
    expect(search.status().mode).toBe('keywords');
    await allEmbedded(semantic);
    expect(await ids(search, query)).toContain('filesystem__get_file_info');
    expect(search.status()).toMatchObject({ mode: 'hybrid', tools, semantic: { state: 'ready', embedded: tools, total: tools } });
    // Keyword matches still come first where they are exact.
    expect((await ids(search, 'navigate back', 1))[0]).toBe('playwright__browser_navigate_back');
    // Words neither the model nor any tool knows find nothing, though some tool is always nearest.
    expect(await ids(search, 'zzqxv wubbalubba')).toEqual([]);
    await semantic.close();
  });

  it('reuses the vectors of an earlier run: nothing is embedded again', async () => {
    const semantic = new SemanticSearch({ stateDir: dir, workerScript: WORKER });
    const seen: SemanticStatus[] = [];
    semantic.onStatus((s) => seen.push(s));
    searchOver(semantic);
    semantic.start();
    await allEmbedded(semantic);
    const progress = seen.filter((s) => s.state === 'ready' && s.total > 0);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((s) => s.embedded === s.total)).toBe(true);
    await semantic.close();
  });

  it('starts no model once closed, though a config change arriving as the core closes asks it to', async () => {
    const semantic = new SemanticSearch({ stateDir: stateDir(), workerScript: WORKER });
    searchOver(semantic);
    await semantic.close();
    semantic.start();
    // Long enough for a model to load (a few hundred ms).
    await new Promise((r) => setTimeout(r, 3000));
    expect(semantic.ready).toBe(false);
    expect(semantic.status().state).toBe('starting');
  });

  it('searches by keywords, and says why, when the model cannot load', async () => {
    const semantic = new SemanticSearch({ stateDir: stateDir(), workerScript: WORKER, modelDir: stateDir() });
    const search = searchOver(semantic);
    semantic.start();
    const status = await waitFor(() => (semantic.status().state === 'unavailable' ? semantic.status() : undefined), 'the model to fail');
    expect(status.reason).toMatch(/search model .* could not be loaded/);
    expect(search.status().mode).toBe('keywords');
    expect((await ids(search, 'navigate back', 1))[0]).toBe('playwright__browser_navigate_back');
    await semantic.close();
  });
});

describe('the admin event stream', () => {
  it('reports the embedding progress, ending with every tool embedded', async () => {
    const files = stateDir();
    const t = await tempHome({ mcpServers: { filesystem: servers.filesystem(files) } });
    const { core, api } = await openCore(t.home, { searchModel: { workerScript: WORKER } });
    const events: ApiEvent[] = [];
    const unsubscribe = api.subscribe((e) => events.push(e));
    try {
      core.startSearchModel(0);
      const { results } = await api.call('tools.search', { query: 'file info', limit: 3 });
      expect(results.length).toBeGreaterThan(0);
      const last = await waitFor(() => {
        const progress = events.flatMap((e) => (e.type === 'progress' && e.payload.operation === 'search.embedding' ? [e.payload] : []));
        const end = progress.at(-1);
        return end && end.total > 0 && end.done === end.total ? end : undefined;
      }, 'the embedding to finish', 60_000);
      expect(last.message).toBe('search model ready');
      expect((await api.call('status.get', {})).search).toMatchObject({ mode: 'hybrid', semantic: { embedded: last.total } });
    } finally {
      unsubscribe();
      await core.close();
      t.cleanup();
    }
  });
});

describe('the searchByMeaning setting', () => {
  it('keeps the model off while config.json says so, and starts it when turned back on', async () => {
    const t = await tempHome({ searchByMeaning: false, mcpServers: { filesystem: servers.filesystem(stateDir()) } });
    const { core, api } = await openCore(t.home, { searchModel: { workerScript: WORKER }, watchConfig: true });
    try {
      core.startSearchModel(0);
      expect((await api.call('tools.search', { query: 'file info', limit: 3 })).results.length).toBeGreaterThan(0);
      expect((await api.call('status.get', {})).search).toMatchObject({ mode: 'keywords', semantic: { state: 'unavailable', reason: expect.stringMatching(/turned off/) } });
      const file = path.join(t.home, 'config.json');
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), searchByMeaning: true }));
      await waitFor(async () => {
        const { search } = await api.call('status.get', {});
        return search.mode === 'hybrid' && search.semantic?.embedded === search.semantic?.total;
      }, 'search by meaning to start', 60_000);
    } finally {
      await core.close();
      t.cleanup();
    }
  });
});

describe('gatehouse serve', () => {
  it('stops cleanly when told to while the model is still loading', async () => {
    const t = await tempHome();
    try {
      // The model starts loading a second after serve listens, and takes a few hundred ms.
      for (const delay of [1000, 1100, 1200, 1300, 1400]) {
        const gh = await startServe(t.home);
        await new Promise((r) => setTimeout(r, delay));
        expect(await gh.stop('SIGTERM'), gh.output()).toBe(0);
      }
    } finally {
      t.cleanup();
    }
  });

  it('searches by meaning once its model has embedded the tools, and status shows the progress', async () => {
    const files = stateDir();
    const { client, home, close } = await serveWithClient({ mcpServers: { filesystem: servers.filesystem(files) } });
    try {
      const status = await waitFor(async () => {
        const out = await runCli(['status', '--json'], { GATEHOUSE_HOME: home });
        const s = JSON.parse(out.stdout) as { search: { mode: string; semantic?: { embedded: number; total: number } } };
        return s.search.mode === 'hybrid' && s.search.semantic!.embedded === s.search.semantic!.total ? s.search : undefined;
      }, 'search by meaning to be ready', 60_000);
      expect(status.semantic!.total).toBeGreaterThan(5);
      const human = await runCli(['status'], { GATEHOUSE_HOME: home });
      expect(human.stdout).toMatch(/Search: by meaning and keywords \(\d+ of \d+ tools embedded\)/);
      const result = await client.callTool({ name: 'search_tools', arguments: { query: 'how big is this document on disk', limit: 3 } });
      expect(textOf(result)).toContain('filesystem__get_file_info');
    } finally {
      await close();
    }
  });
});
