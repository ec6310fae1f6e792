import fs, { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, parseConfigText } from './parse.js';
import { ConfigStore } from './store.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-config-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('config parsing', () => {
  it('accepts a Claude Desktop mcpServers block as it is', () => {
    const config = parseConfigText(JSON.stringify({ mcpServers: { fs: { command: 'npx', args: ['-y', 'pkg'], env: { A: 'b' } }, remote: { url: 'https://example.com/mcp' } } }));
    expect(config.mcpServers.fs.command).toBe('npx');
    expect(config.mode).toBe('search');
    expect(config.maxResultChars).toBe(20000);
  });

  it('names the path and what is expected', () => {
    const attempt = (value: unknown) => {
      try {
        parseConfigText(JSON.stringify(value));
      } catch (err) {
        return (err as ConfigError).problems.join('\n');
      }
      throw new Error('expected a ConfigError');
    };
    expect(attempt({ mcpServers: { x: { command: 42 } } })).toMatch(/mcpServers\.x\.command/);
    expect(attempt({ mcpServers: { x: {} } })).toMatch(/either "command" \(stdio\) or "url"/);
    expect(attempt({ mcpServers: { 'a__b': { command: 'x' } } })).toMatch(/must not contain "__"/);
    // Written by hand, a server named "__proto__" is refused by name, not dropped without a word.
    const prototypeKey = () => {
      try {
        parseConfigText('{"mcpServers": {"__proto__": {"command": "x"}, "kept": {"command": "y"}}}');
      } catch (err) {
        return (err as ConfigError).problems.join('\n');
      }
      return 'parsed';
    };
    expect(prototypeKey()).toBe('mcpServers.__proto__: "__proto__" is not a valid server name: a server name is 1-64 letters, digits, "-" or "_", and must not contain "__"');
    expect(attempt({ mcpServers: { x: { url: 'ftp://host/x' } } })).toMatch(/mcpServers\.x\.url/);
    expect(attempt({ mode: 'fast' })).toMatch(/mode must be "search" or "direct"/);
    expect(() => parseConfigText('{ nope')).toThrow(/not valid JSON/);
    // Where the mistake is, as a person finds it in an editor, and what is wrong with a comment.
    expect(() => parseConfigText('{\n  "mcpServers": {},\n  "mode": "search",,\n}')).toThrow(/not valid JSON: .*\(line 3 column 20\)$/);
    expect(() => parseConfigText('{\n  // mine\n  "mcpServers": {}\n}')).toThrow(/\(line 2 column 3\): comments are not allowed in this file$/);
  });
});

/** A store watching a config.json of one server, "a"; `TWO` is that file with a second server added. */
async function watching(): Promise<{ file: string; store: ConfigStore }> {
  const file = path.join(tmp(), 'config.json');
  writeFileSync(file, JSON.stringify({ mcpServers: { a: { command: 'x' } } }));
  const store = new ConfigStore(file);
  await store.load();
  store.watch();
  return { file, store };
}
const TWO = JSON.stringify({ mcpServers: { a: { command: 'x' }, b: { command: 'y' } } });

describe('ConfigStore', () => {
  it('writes atomically with private permissions and keeps the previous version', async () => {
    const file = path.join(tmp(), 'config.json');
    const store = new ConfigStore(file);
    await store.load();
    await store.addServer('one', { command: 'a' });
    await store.addServer('two', { url: 'http://127.0.0.1:1/mcp' });
    expect(JSON.parse(readFileSync(file, 'utf8')).mcpServers).toHaveProperty('two');
    expect(JSON.parse(readFileSync(`${file}.bak`, 'utf8')).mcpServers).not.toHaveProperty('two');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps keys it does not know when it rewrites the file', async () => {
    const file = path.join(tmp(), 'config.json');
    writeFileSync(file, JSON.stringify({ globalShortcut: 'Ctrl+G', mcpServers: { a: { command: 'x', futureKey: 1 } } }));
    const store = new ConfigStore(file);
    await store.load();
    await store.setServerEnabled('a', false);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.globalShortcut).toBe('Ctrl+G');
    expect(saved.mcpServers.a).toEqual({ command: 'x', futureKey: 1, enabled: false });
  });

  it('refuses a change that would make the config invalid, leaving the file alone', async () => {
    const file = path.join(tmp(), 'config.json');
    const store = new ConfigStore(file);
    await store.load();
    await store.addServer('a', { command: 'x' });
    const before = readFileSync(file, 'utf8');
    await expect(store.addServer('b', { command: '' })).rejects.toThrow(/command must not be empty/);
    await expect(store.addServer('bad name', { command: 'x' })).rejects.toThrow(/not a valid server name/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('reloads a valid edit by hand and reports an invalid one without applying it', async () => {
    const { file, store } = await watching();
    try {
      const changed = new Promise((resolve) => store.once('change', resolve));
      writeFileSync(file, TWO);
      await changed;
      expect(Object.keys(store.config.mcpServers)).toEqual(['a', 'b']);

      const invalid = new Promise<ConfigError>((resolve) => store.once('invalid', resolve));
      writeFileSync(file, JSON.stringify({ mcpServers: { c: { args: [] } } }));
      expect((await invalid).message).toMatch(/mcpServers\.c/);
      expect(Object.keys(store.config.mcpServers)).toEqual(['a', 'b']);
    } finally {
      store.stop();
    }
  });

  it('says nothing of a file emptied for a moment mid-save, and reports one left empty', async () => {
    const { file, store } = await watching();
    const told: string[] = [];
    store.on('invalid', (err: ConfigError) => told.push(err.message));
    try {
      // Emptied, then written a moment later (past the watcher's settling, within the grace).
      writeFileSync(file, '');
      await new Promise((r) => setTimeout(r, 300));
      const changed = new Promise((resolve) => store.once('change', resolve));
      writeFileSync(file, TWO);
      await changed;
      await new Promise((r) => setTimeout(r, 1500));
      expect(told).toEqual([]);
      expect(Object.keys(store.config.mcpServers)).toEqual(['a', 'b']);
      // Left empty, it is reported, and the running config stays.
      const invalid = new Promise<ConfigError>((resolve) => store.once('invalid', resolve));
      writeFileSync(file, '');
      expect((await invalid).message).toBe(`${file} is empty: the running config stays until it is valid again`);
      expect(Object.keys(store.config.mcpServers)).toEqual(['a', 'b']);
    } finally {
      store.stop();
    }
  });
});

describe('concurrent updates', () => {
  it('loses none: updates in one process are serialised, and two stores on one file (two processes) take turns', async () => {
    const file = path.join(tmp(), 'config.json');
    const a = new ConfigStore(file);
    const b = new ConfigStore(file);
    await a.load();
    await b.load();
    const names = Array.from({ length: 8 }, (_, i) => `s${i}`);
    await Promise.all(names.map((name, i) => (i % 2 ? a : b).addServer(name, { command: 'node' })));
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).mcpServers).sort()).toEqual(names);
  });
});

describe('config.json reloads and our own writes', () => {
  it('a reload that read the file before one of our writes does not put the older servers back', async () => {
    const file = path.join(tmp(), 'config.json');
    writeFileSync(file, JSON.stringify({ mcpServers: {} }));
    const store = new ConfigStore(file);
    await store.load();
    store.watch();
    // Hold the watcher's read of the file: it reads the content of that moment, and answers only when let go.
    let letGo!: () => void;
    let held: Promise<void> | undefined;
    const realRead = fs.promises.readFile.bind(fs.promises);
    const spy = vi.spyOn(fs.promises, 'readFile').mockImplementation(async (...args: Parameters<typeof realRead>) => {
      const content = await realRead(...args);
      if (held === undefined) {
        held = new Promise<void>((resolve) => (letGo = resolve));
        await held;
      }
      return content;
    });
    try {
      writeFileSync(file, JSON.stringify({ mcpServers: { edited: { command: 'a' } } }));
      for (let i = 0; held === undefined && i < 100; i++) await new Promise((r) => setTimeout(r, 20));
      expect(held).toBeDefined();
      const added = store.addServer('added', { command: 'b' });
      await new Promise((r) => setTimeout(r, 50));
      letGo();
      await added;
      await new Promise((r) => setTimeout(r, 50));
      expect(Object.keys(store.config.mcpServers).sort()).toEqual(['added', 'edited']);
    } finally {
      spy.mockRestore();
      store.stop();
    }
  });
});
