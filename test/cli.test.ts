// The `gatehouse` command as a person or script uses it: tables, --json, and exit codes.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, runCliOnTerminal, servers, tempHome } from './helpers.js';

describe('gatehouse CLI', () => {
  let home: string;
  let cleanup: () => void;
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ home, cleanup } = await tempHome());
    env = { GATEHOUSE_HOME: home };
  });
  afterAll(() => cleanup());

  it('adds servers to config.json and lists them', async () => {
    const add = await runCli(['servers', 'add', 'everything', '--', ...[servers.everything.command, ...servers.everything.args]], env);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('Added "everything"');
    expect((await runCli(['servers', 'add', 'memory', '--env', 'MEMORY_FILE_PATH=' + path.join(home, 'mem.json'), '--', servers.memory.command, ...servers.memory.args], env)).code).toBe(0);
    const config = JSON.parse(readFileSync(path.join(home, 'config.json'), 'utf8'));
    expect(config.mcpServers.memory.env.MEMORY_FILE_PATH).toContain('mem.json');

    const list = await runCli(['servers', 'list'], env);
    expect(list.stdout).toMatch(/NAME\s+STATE\s+TRUST\s+TRANSPORT\s+TOOLS\s+TARGET/);
    expect(list.stdout).toMatch(/everything\s+idle\s+quarantined\s+stdio/);
    const json = JSON.parse((await runCli(['servers', 'list', '--json'], env)).stdout);
    expect(json.map((s: { name: string }) => s.name)).toEqual(['everything', 'memory']);
  });

  it('approves only with confirmation, after listing the server for review', async () => {
    const unconfirmed = await runCli(['servers', 'approve', 'everything'], env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/confirm on a terminal, or pass --yes/);
    const approved = await runCli(['servers', 'approve', 'everything', '--yes'], env);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain('Approved server "everything" and its tools, prompts and templates.');
    // On a terminal it shows what it lists and asks; anything but yes changes nothing.
    const declined = await runCliOnTerminal(['servers', 'approve', 'memory'], env, 'n\n');
    expect(declined.stdout).toMatch(/create_entities \(pending\)[\s\S]*Approve server "memory" and its tools, prompts and templates\? \[y\/N\]/);
    expect(declined.stdout).toContain('Nothing changed.');
    expect(JSON.parse((await runCli(['servers', 'list', '--json'], env)).stdout)[1].trust).toBe('quarantined');
    const confirmed = await runCliOnTerminal(['servers', 'approve', 'memory'], env, 'y\n');
    expect(confirmed.stdout).toContain('Approved server "memory" and its tools, prompts and templates.');
    const json = JSON.parse((await runCli(['servers', 'list', '--json'], env)).stdout);
    expect(json.map((s: { trust: string; toolCount: number }) => [s.trust, s.toolCount > 0])).toEqual([['approved', true], ['approved', true]]);
  });

  it('reviews a server of many tools flagged ones first, with a count of each kind, a long description cut, --flagged for the flagged alone; asking to approve names forty', async () => {
    const t = await tempHome({ mcpServers: { many: servers.fixture('faulty-server.mjs', '--many', '60', '--long', '2000') } }, { quarantine: true });
    try {
      const own = { GATEHOUSE_HOME: t.home };
      const review = await runCli(['servers', 'review', 'many'], own);
      expect(review.code, review.stderr).toBe(0);
      const lines = review.stdout.split('\n');
      expect(lines[2]).toBe('  67 tools: 67 new, 1 flagged by the scanner');
      expect(lines.filter((l) => /^ {2}\S+ {2}\[/.test(l)).slice(0, 2)).toEqual(['  long  [pending, 1 finding(s)]', '  ok  [pending]']);
      expect(review.stdout).toContain('… (44,000 more characters: --all or --json prints them)');
      const flagged = await runCli(['servers', 'review', 'many', '--flagged'], own);
      expect(flagged.stdout).toContain('  long  [pending, 1 finding(s)]');
      expect(flagged.stdout).not.toContain('lookup_0');
      const all = await runCli(['servers', 'review', 'many', '--all'], own);
      expect(all.stdout).toContain('Returns the weather for a city. '.repeat(2000).trim());
      expect(all.stdout).not.toContain('more characters');
      // Asked to approve, it names forty, flagged first, and says how many more there are.
      const asked = await runCli(['servers', 'approve', 'many'], own);
      const said = asked.stdout + asked.stderr;
      expect(said).toMatch(/^ {2}Runs: .*\n {2}long \(pending\) — 1 scanner finding\(s\): oversized_definition\n {2}ok \(pending\)\n/);
      expect(said).toContain('  … and 27 more (`gatehouse servers review many` shows them all)');
      expect(said).not.toContain('lookup_33 ');
    } finally {
      t.cleanup();
    }
  });

  it('refuses a bad server name with the rule, and a duplicate name', async () => {
    const bad = await runCli(['servers', 'add', 'my__server', '--url', 'http://127.0.0.1:1/mcp'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/letters, digits, "-" or "_", and must not contain "__"/);
    const dup = await runCli(['servers', 'add', 'everything', '--url', 'http://127.0.0.1:1/mcp'], env);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/already exists/);
  });

  it('lists, searches and calls tools', async () => {
    const list = await runCli(['tools', 'list', '--json'], env);
    expect(list.code).toBe(0);
    const ids = JSON.parse(list.stdout).map((t: { id: string }) => t.id);
    expect(ids).toContain('everything__echo');
    expect(ids).toContain('memory__create_entities');

    const search = JSON.parse((await runCli(['tools', 'search', 'sum of two numbers', '--json'], env)).stdout);
    expect(search[0].id).toBe('everything__get-sum');

    const call = await runCli(['tools', 'call', 'everything__get-sum', '--args', '{"a": 20, "b": 22}'], env);
    expect(call.code).toBe(0);
    expect(call.stdout).toContain('42');
  });

  it('prints every JSON-RPC frame with --log-level trace', async () => {
    const r = await runCli(['tools', 'list', '--server', 'memory', '--log-level', 'trace'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/→ \{.*"method":"initialize"/);
    expect(r.stderr).toMatch(/← \{.*"tools":\[/);
    expect(r.stdout).toContain('memory__read_graph');
  });

  it('exits 1 when the tool reports an error, 2 on bad input, 3 when the server is unreachable', async () => {
    const toolError = await runCli(['tools', 'call', 'everything__echo', '--args', '{}'], env);
    expect(toolError.code).toBe(1);
    expect(toolError.stdout).toMatch(/The tool's input schema/);
    const unknownTool = await runCli(['tools', 'call', 'everything__no-such-tool'], env);
    expect(unknownTool.code).toBe(2);
    expect(unknownTool.stderr).toMatch(/has no tool "no-such-tool"/);
    const badJson = await runCli(['tools', 'call', 'everything__echo', '--args', '{message:'], env);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/--args is not valid JSON/);
    const port = await freePort();
    await runCli(['servers', 'add', 'offline', '--url', `http://127.0.0.1:${port}/mcp`], env);
    const quarantined = await runCli(['tools', 'call', 'offline__echo', '--args', '{}'], env);
    expect(quarantined.code).toBe(2);
    expect(quarantined.stderr).toMatch(/quarantined, awaiting approval/);
    await runCli(['servers', 'approve', 'offline', '--yes'], env);
    const offline = await runCli(['tools', 'call', 'offline__echo', '--args', '{}'], env);
    expect(offline.code).toBe(3);
    expect(offline.stderr).toMatch(/server "offline" could not be started/);
    expect((await runCli(['servers', 'remove', 'offline'], env)).code).toBe(0);
  });

  it('disables and enables a server', async () => {
    expect((await runCli(['servers', 'disable', 'memory'], env)).code).toBe(0);
    const list = JSON.parse((await runCli(['servers', 'list', '--json'], env)).stdout);
    expect(list.find((s: { name: string }) => s.name === 'memory').state).toBe('disabled');
    const call = await runCli(['tools', 'call', 'memory__read_graph'], env);
    expect(call.code).toBe(2);
    expect(call.stderr).toMatch(/disabled/);
    expect((await runCli(['servers', 'enable', 'memory'], env)).code).toBe(0);
    expect((await runCli(['tools', 'call', 'memory__read_graph'], env)).code).toBe(0);
  });

  it('names the bad path when config.json is invalid, and changes nothing', async () => {
    const file = path.join(home, 'config.json');
    const good = readFileSync(file, 'utf8');
    const broken = JSON.stringify({ mcpServers: { x: { command: 42 } } });
    writeFileSync(file, broken);
    try {
      const r = await runCli(['servers', 'list'], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/mcpServers\.x\.command/);
      const add = await runCli(['servers', 'add', 'y', '--url', 'http://127.0.0.1:1/mcp'], env);
      expect(add.code).toBe(2);
      expect(readFileSync(file, 'utf8')).toBe(broken);
    } finally {
      writeFileSync(file, good);
    }
  });
});
