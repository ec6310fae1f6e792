// What a client's context pays for the tool list: tokens (GPT tokenizer, o200k) of the gateway's
// tools/list in search mode and in direct mode, against the sum of the upstream servers' own tools/list,
// for a config of real servers from npm.
//   npm run bench:tokens [-- --json]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from 'gpt-tokenizer';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Gatehouse } from '../src-main/core/index.js';
import { flag, report } from './stats.js';
import { approveAll, listAll } from './approve.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODULES = path.join(ROOT, 'node_modules', '@modelcontextprotocol');
const servers = {
  everything: { command: process.execPath, args: [path.join(MODULES, 'server-everything', 'dist', 'index.js'), 'stdio'] },
  filesystem: { command: process.execPath, args: [path.join(MODULES, 'server-filesystem', 'dist', 'index.js'), os.tmpdir()] },
  memory: { command: process.execPath, args: [path.join(MODULES, 'server-memory', 'dist', 'index.js')] },
};

const tokens = (value: unknown) => encode(JSON.stringify(value)).length;

async function toolsListed(mode: 'search' | 'direct'): Promise<{ tools: unknown[]; upstream: number }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-tokens-'));
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ mode, mcpServers: servers }));
  await approveAll(home);
  const core = await Gatehouse.open({ home, env: { ...process.env, GATEHOUSE_TOKEN: 'bench' } });
  try {
    let upstream = 0;
    for (const tools of (await listAll(core)).values()) upstream += tokens({ tools });
    const { url } = await core.listen(0);
    const client = new Client({ name: 'bench', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: 'Bearer bench' } } }));
    const { tools } = await client.listTools();
    await client.close();
    return { tools, upstream };
  } finally {
    await core.close();
    rmSync(home, { recursive: true, force: true });
  }
}

async function main() {
  const search = await toolsListed('search');
  const direct = await toolsListed('direct');
  report(
    {
      servers: Object.keys(servers).join(', '),
      upstream_tools: direct.tools.length,
      search_mode_tokens: tokens({ tools: search.tools }),
      direct_mode_tokens: tokens({ tools: direct.tools }),
      upstream_tokens: search.upstream,
    },
    flag('json'),
    'Tokens of tools/list (gpt-tokenizer, o200k_base)',
  );
  process.exit(0);
}

void main();
