// config.json edited by hand or by the CLI while `gatehouse serve` runs: valid edits apply at once,
// an invalid edit is reported and nothing is lost.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { runCli, servers, serveWithClient, textOf, waitFor, type RunningGatehouse } from './helpers.js';

describe('config hot reload', () => {
  let gh: RunningGatehouse;
  let client: Client;
  let home: string;
  let close: () => Promise<void>;
  const file = () => path.join(home, 'config.json');

  async function searchIds(query: string): Promise<string[]> {
    const r = await client.callTool({ name: 'search_tools', arguments: { query } });
    return JSON.parse(textOf(r)).results.map((x: { id: string }) => x.id);
  }

  beforeAll(async () => {
    ({ gh, client, home, close } = await serveWithClient({ mcpServers: { everything: servers.everything } }));
  });
  afterAll(() => close?.());

  it('applies a valid edit made by hand', async () => {
    const config = JSON.parse(readFileSync(file(), 'utf8'));
    config.mcpServers.memory = servers.memory;
    writeFileSync(file(), JSON.stringify(config, null, 2));
    // Added by hand is still new: quarantined until a person approves it.
    const env = { GATEHOUSE_HOME: home };
    await waitFor(async () => (await runCli(['servers', 'list'], env)).stdout.match(/memory\s+\S+\s+quarantined/), 'memory quarantined');
    // Said in serve's terminal as the window and the desktop app say it.
    await waitFor(() => gh.output().includes('A new server waits for review: "memory" is quarantined until you approve it.'), 'the terminal told');
    expect((await searchIds('knowledge graph entities')).some((id) => id.startsWith('memory__'))).toBe(false);
    expect((await runCli(['servers', 'approve', 'memory', '--yes'], env)).code).toBe(0);
    await waitFor(async () => (await searchIds('knowledge graph entities')).some((id) => id.startsWith('memory__')), 'memory tools searchable');
  });

  it('applies a change made with the CLI', async () => {
    expect((await runCli(['servers', 'disable', 'memory'], { GATEHOUSE_HOME: home })).code).toBe(0);
    await waitFor(async () => !(await searchIds('knowledge graph entities')).some((id) => id.startsWith('memory__')), 'memory tools hidden');
  });

  it('reports an invalid edit, keeps running on the previous config, and leaves the file as written', async () => {
    const broken = '{ "mcpServers": { "everything": { "command": ';
    writeFileSync(file(), broken);
    await waitFor(() => gh.output().includes('not valid'), 'invalid edit reported');
    expect(gh.output()).toMatch(/running config stays/);
    const echo = await client.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: 'still serving' } } });
    expect(textOf(echo)).toBe('Echo: still serving');
    expect(readFileSync(file(), 'utf8')).toBe(broken);
  });

  it('keeps the previous version of the file beside it when Gatehouse writes', () => {
    const backup = readFileSync(`${file()}.bak`, 'utf8');
    expect(JSON.parse(backup).mcpServers.memory).toBeDefined();
  });

  it('says in the activity log when an edit turns off a setting that guards the person', async () => {
    // The edit before this one was left invalid on purpose: a whole config.
    const config = { mcpServers: { everything: servers.everything } };
    writeFileSync(file(), JSON.stringify({ ...config, removeHiddenText: false, telemetry: { otlpEndpoint: 'https://collector.example.net/v1/traces' } }, null, 2));
    const env = { GATEHOUSE_HOME: home };
    // One JSON record a line.
    const newest = async (): Promise<{ status?: string; detail?: string }> => JSON.parse((await runCli(['activity', '--kind', 'config', '--limit', '1', '--json'], env)).stdout || '{}');
    const said = await waitFor(async () => ((await newest()).status === 'weakened' ? (await newest()).detail : undefined), 'the change recorded');
    expect(said).toBe('servers: everything; given up: hidden text is no longer taken out of what servers send back; traces of every request now go to https://collector.example.net/v1/traces');
    await waitFor(() => gh.output().includes('A setting that guards you was turned off in config.json: Hidden text is no longer taken out of what servers send back; traces'), 'the terminal told');
    writeFileSync(file(), JSON.stringify(config, null, 2));
    await waitFor(async () => (await newest()).detail === 'servers: everything', 'the next change, giving up nothing');
    expect((await newest()).status).toBe('applied');
    // Made by the person through Gatehouse (asked first), it is kept as said, with no notice.
    const before = gh.output();
    expect((await runCli(['settings', 'set', 'removeHiddenText', 'off', '--yes'], env)).code).toBe(0);
    await waitFor(async () => (await newest()).detail?.includes('given up: hidden text'), 'the change recorded');
    expect((await newest()).status).toBe('applied');
    expect(gh.output().slice(before.length)).not.toContain('A setting that guards you');
  });
});
