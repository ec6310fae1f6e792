// Writes a search-benchmark catalog (the format of shared/bench/README.md) from live servers: every
// server in a config.json-style file is asked for its tools.
//   node dist/bench/make-catalog.js <servers.json> <catalog.json>
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Gatehouse } from '../src-main/core/index.js';
import { approveAll, listAll } from './approve.js';

async function main() {
  const [configFile, out] = process.argv.slice(2);
  if (!configFile || !out) throw new Error('usage: make-catalog <servers.json> <catalog.json>');
  const home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-catalog-'));
  writeFileSync(path.join(home, 'config.json'), readFileSync(configFile));
  await approveAll(home);
  const core = await Gatehouse.open({ home });
  try {
    const results = await listAll(core);
    const servers = [...results].map(([name, tools]) => ({
      name,
      tools: tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, annotations: t.annotations })),
    }));
    writeFileSync(out, `${JSON.stringify({ servers }, null, 1)}\n`);
    process.stdout.write(`${out}: ${servers.length} servers, ${servers.reduce((n, s) => n + s.tools.length, 0)} tools\n`);
  } finally {
    await core.close();
    rmSync(home, { recursive: true, force: true });
  }
  process.exit(0);
}

void main();
