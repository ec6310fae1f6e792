// The poisoning scanner against a labelled file (the format of shared/bench/poisoning/README.md).
//   npm run bench:scan -- --dataset <file.jsonl> [--json] [--show]
import { readFileSync } from 'node:fs';
import { flagged, scanTool } from '../src-main/core/security/index.js';
import type { ToolDefinition } from '../src-shared/catalog.js';
import { flag, option, report, round } from './stats.js';

interface Row {
  id: string;
  label: 'poisoned' | 'clean';
  family: string;
  server: string;
  tool: ToolDefinition;
}

const file = option('dataset') ?? '../shared/bench/poisoning/dev.jsonl';
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Row);

let poisoned = 0;
let caught = 0;
let clean = 0;
let falseAlarms = 0;
const families = new Map<string, { total: number; caught: number }>();
const misses: string[] = [];
const alarms: string[] = [];
const started = performance.now();
for (const row of rows) {
  const findings = scanTool(row.tool);
  const hit = flagged(findings);
  if (row.label === 'poisoned') {
    poisoned++;
    const f = families.get(row.family) ?? { total: 0, caught: 0 };
    f.total++;
    if (hit) {
      caught++;
      f.caught++;
    } else misses.push(`${row.id} ${row.family} ${row.server}/${row.tool.name}`);
    families.set(row.family, f);
  } else {
    clean++;
    if (hit) {
      falseAlarms++;
      const f = findings.find((x) => x.severity !== 'low')!;
      alarms.push(`${row.id} ${row.server}/${row.tool.name}: ${f.family} ${f.field} "${f.excerpt}"`);
    }
  }
}
const ms = performance.now() - started;
const perFamily = Object.fromEntries([...families].sort().map(([k, v]) => [k, round(v.caught / v.total)]));
report(
  { tools: rows.length, recall: round(caught / poisoned), false_positive_rate: round(falseAlarms / clean), per_family: flag('json') ? perFamily : JSON.stringify(perFamily), ms_per_tool: round(ms / rows.length) },
  flag('json'),
  `Poisoning scanner on ${file}`,
);
if (flag('show')) {
  process.stdout.write(`missed:\n  ${misses.join('\n  ')}\nfalse alarms:\n  ${alarms.join('\n  ')}\n`);
}
