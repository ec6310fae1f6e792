// `gatehouse stdio` driven by a client we did not write: @modelcontextprotocol/inspector --cli.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, servers, tempHome } from './helpers.js';

const run = promisify(execFile);
const INSPECTOR = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'inspector', 'cli', 'build', 'cli.js');

describe('gatehouse stdio under the MCP Inspector CLI', () => {
  let home: string;
  let cleanup: () => void;
  beforeAll(async () => ({ home, cleanup } = await tempHome({ mcpServers: { everything: servers.everything, memory: servers.memory } })));
  afterAll(() => cleanup());

  async function inspect(...args: string[]) {
    const { stdout } = await run(process.execPath, [INSPECTOR, '--cli', process.execPath, BIN, 'stdio', ...args], {
      env: { ...process.env, GATEHOUSE_HOME: home },
      timeout: 60_000,
    });
    return JSON.parse(stdout);
  }

  it('lists the meta-tools', async () => {
    const result = await inspect('--method', 'tools/list');
    expect(result.tools.map((t: { name: string }) => t.name)).toEqual(['search_tools', 'describe_tool', 'call_tool', 'read_result', 'upstream_servers']);
  });

  it('searches and calls through the meta-tools', async () => {
    const search = await inspect('--method', 'tools/call', '--tool-name', 'search_tools', '--tool-arg', 'query=echo a message back');
    expect(search.content[0].text).toContain('everything__echo');
    const call = await inspect('--method', 'tools/call', '--tool-name', 'call_tool', '--tool-arg', 'id=everything__echo', 'arguments={"message":"from the inspector"}');
    expect(call.content[0].text).toBe('Echo: from the inspector');
  });

  it('passes prompts through', async () => {
    const prompts = await inspect('--method', 'prompts/list');
    expect(prompts.prompts.map((p: { name: string }) => p.name)).toContain('everything__simple-prompt');
  });
});
