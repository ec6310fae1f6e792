// The poisoning scanner, measured.
//   npm run bench:scan -- [--dataset <file.jsonl>] [--clean <a.jsonl,b.jsonl>] [--kept-apart <file.jsonl>] [--shipped-only]
//                         [--parts unseen,folds,families,families-labelled,servers,others] [--attacks <file.jsonl>] [--show] [--json]
// 1. The shipped scanner (patterns, decoders, classifier) on a labelled file (the format of
//    shared/bench/poisoning/README.md), with its speed. The shipped classifier learned from the dev set too,
//    so on dev this is not a measure of generalisation. Then its false alarms on the real tools of servers
//    kept apart from everything it was built on (bench/data/scanner-fifth-clean.jsonl, or --kept-apart:
//    collected after the sets before it, learned from now, had judged the changes).
// 2. Generalisation, from classifiers trained here (same recipe as `npm run scanner:train`) on data that
//    leaves out what is tested, judged by the learned part and the decoders alone (no patterns, which were
//    written against dev):
//    - unseen: trained without any record of the labelled file, tested on all of it; then what each
//      threshold would trade between its recall there and its false alarms on the kept-apart servers;
//    - folds: the shipped recipe, which learns from the labelled file too, in five folds, each fold of the
//      labelled file tested by a classifier that learned from the other four;
//    - leave one family out: trained without any example of a family, tested on that family's labelled
//      records and on generated examples of it; `families-labelled` learns from the other families'
//      labelled records too, as the shipped recipe does (not run unless asked);
//    - by server: the real clean tools in two halves by server, trained on one half and tested on the other.
//    The unseen, folds and leave-one-family-out classifiers are judged at the shipped threshold (chosen by
//    `scanner:train` on the real clean tools alone, never on the labelled file), or at --threshold; each
//    by-server classifier at a threshold chosen the same way within its own training half.
// 3. `others` (run only when asked, with --attacks): attacks written by other hands, in definitions and in
//    documents sent back as answers (bench/scan-others.ts).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { flagged, scanAhead, scanDefinition } from '../src-main/core/security/index.js';
import { scanShadowing } from '../src-main/core/security/scanner/index.js';
import { classifier } from '../src-main/core/security/scanner/classifier.js';
import type { Classifier } from '../src-main/core/security/scanner/index.js';
import { allPayloads, collected, generate, KEPT_APART_FILE, labelled, random, TECHNIQUE_FAMILY, type LabelledTool, type Payload, type Technique } from '../scripts/scanner/dataset.js';
import { FALSE_ALARMS, fit, heldOutThreshold, serverFolds, withLabelled } from '../scripts/scanner/fit.js';
import { addUp, decodersFlag, judge, namesOthers, noneJudged, toolScore, type Judged } from '../scripts/scanner/learn.js';
import { othersPart } from './scan-others.js';
import { flag, option, report, round } from './stats.js';

const file = option('dataset') ?? '../shared/bench/poisoning/dev.jsonl';
const dev = labelled(file);
const show = flag('show');
const threshold = Number(option('threshold') ?? classifier().threshold);
const keptApartFile = option('kept-apart') ?? KEPT_APART_FILE;
// The labelled file read as one installation, as a review reads a server among the others configured beside it.
const installation = namesOthers(dev);

function shipped(): void {
  // The first scan loads the tables; it is timed apart.
  const loadStart = performance.now();
  scanDefinition(dev[0].tool);
  const loadMs = performance.now() - loadStart;
  let caught = 0;
  let falseAlarms = 0;
  const families = new Map<string, { total: number; caught: number }>();
  const lines: string[] = [];
  const hits = new Set<LabelledTool>();
  const started = performance.now();
  for (const row of dev) {
    const findings = scanDefinition(row.tool);
    const hit = flagged(findings);
    if (hit) hits.add(row);
    if (row.label === 'poisoned') {
      const f = families.get(row.family) ?? { total: 0, caught: 0 };
      f.total++;
      if (hit) f.caught++;
      families.set(row.family, f);
      if (hit) caught++;
      else lines.push(`missed ${row.id} ${row.family} ${row.server}/${row.tool.name}`);
    } else if (hit) {
      falseAlarms++;
      const f = findings.find((x) => x.severity !== 'low')!;
      lines.push(`false alarm ${row.id} ${row.server}/${row.tool.name}: ${f.family} ${f.field} "${f.excerpt}" — ${f.message}`);
    }
  }
  const ms = performance.now() - started;
  const poisoned = dev.filter((r) => r.label === 'poisoned').length;
  const together = dev.filter((r) => hits.has(r) || installation(r));
  // What a hostile server can cost with one definition: 40,000 distinct sentences (1.9 MB), and the shadowing
  // check against 2,000 other tools' names.
  const hostile = { name: 'hostile', inputSchema: { type: 'object' as const }, description: Array.from({ length: 40_000 }, (_, i) => `Returns the weather number ${i} for city ${i * 7}.`).join(' ') };
  const hostileStart = performance.now();
  scanDefinition(hostile);
  scanShadowing(hostile, new Map(Array.from({ length: 2000 }, (_, i) => [`other_tool_${i}`, 'other'])));
  const hostileMs = performance.now() - hostileStart;
  // A static resource is read as a tool is, and is mostly shorter: the dev tools' names and descriptions as resources.
  const resources = dev.map((row, i) => ({ uri: `bench://resource/${i}`, name: row.tool.name, description: row.tool.description ?? '', mimeType: 'text/plain' }));
  const resourcesStart = performance.now();
  for (const r of resources) scanDefinition(r);
  const resourceMs = (performance.now() - resourcesStart) / resources.length;
  report(
    {
      tools: dev.length,
      recall: round(caught / poisoned),
      false_positive_rate: round(falseAlarms / (dev.length - poisoned)),
      recall_as_one_installation: round(together.filter((r) => r.label === 'poisoned').length / poisoned),
      false_positive_rate_as_one_installation: round(together.filter((r) => r.label === 'clean').length / (dev.length - poisoned)),
      per_family: JSON.stringify(Object.fromEntries([...families].sort().map(([k, v]) => [k, round(v.caught / v.total)]))),
      ms_per_tool: round(ms / dev.length, 3),
      ms_per_resource: round(resourceMs, 3),
      first_scan_ms: round(loadMs),
      hostile_definition_ms: round(hostileMs),
    },
    flag('json'),
    `Shipped scanner on ${file} (its classifier learned from this file too)`,
  );
  if (show) process.stdout.write(`${lines.join('\n')}\n`);
}

/** The shipped scanner on real clean tools of servers it was never trained on. */
function keptApart(path: string, title: string): void {
  const tools = collected(path);
  const alarms = { shipped: [] as string[], learned: [] as string[] };
  const shippedHit = new Set<LabelledTool>();
  const learnedHit = new Set<LabelledTool>();
  const named = namesOthers(tools);
  const namedHit: string[] = [];
  for (const t of tools) {
    const all = scanDefinition(t.tool);
    if (flagged(all)) {
      const f = all.find((x) => x.severity !== 'low')!;
      alarms.shipped.push(`${t.server}/${t.tool.name}: ${f.family} ${f.field} "${f.excerpt.slice(0, 140)}" — ${f.message}`);
      shippedHit.add(t);
    }
    if (flagged(scanDefinition(t.tool, { rules: false }))) {
      alarms.learned.push(`${t.server}/${t.tool.name}`);
      learnedHit.add(t);
    }
    if (named(t, false)) namedHit.push(`${t.server}/${t.tool.name}${named(t) ? '' : ' (its sentence read as ordinary)'}`);
  }
  const together = (hit: Set<LabelledTool>) => tools.filter((t) => hit.has(t) || named(t)).length / tools.length;
  report(
    {
      servers: new Set(tools.map((t) => t.server)).size,
      tools: tools.length,
      false_positive_rate: round(alarms.shipped.length / tools.length, 4),
      learned_part_and_decoders: round(alarms.learned.length / tools.length, 4),
      // Every server configured at once: each tool's description checked against every other server's tool names.
      naming_another_servers_tool: round(namedHit.length / tools.length, 4),
      in_a_sentence_not_read_as_ordinary: round(tools.filter((t) => named(t)).length / tools.length, 4),
      as_one_installation: round(together(shippedHit), 4),
      learned_part_decoders_and_names_as_one_installation: round(together(learnedHit), 4),
      [`in_installations_of_${installationSize}_tools`]: round(inInstallations(tools, (t) => shippedHit.has(t)), 4),
    },
    flag('json'),
    title,
  );
  if (show) process.stdout.write(`${[...alarms.shipped.map((a) => `false alarm ${a}`), ...namedHit.map((a) => `names another server's tool ${a}`)].join('\n')}\n`);
}

/** As many tools as the labelled file has: the size of installation its records were read in. */
const installationSize = dev.length;

/**
 * The share of tools flagged (`hit`, or naming a tool of another server installed beside them, as `model`
 * confirms it) when each server is configured among others up to `installationSize` tools: for every
 * server of `tools`, 20 draws of the other servers in a random order, taken until the tools reach that many.
 * Every tool counts as often as every other (drawing whole installations instead would count large
 * servers more: the server that fills an installation is more often a large one).
 */
function inInstallations(tools: LabelledTool[], hit: (t: LabelledTool) => boolean, model?: Classifier): number {
  const byServer = new Map<string, LabelledTool[]>();
  for (const t of tools) (byServer.get(t.server) ?? byServer.set(t.server, []).get(t.server)!).push(t);
  const servers = [...byServer.keys()];
  const rnd = random(7);
  let flaggedCount = 0;
  for (const server of servers) {
    const mine = byServer.get(server)!;
    for (let draw = 0; draw < 20; draw++) {
      const pool = servers.filter((s) => s !== server);
      for (let i = pool.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      const installed = [...mine];
      for (const s of pool) {
        if (installed.length >= installationSize) break;
        installed.push(...byServer.get(s)!);
      }
      const named = namesOthers(installed);
      flaggedCount += mine.filter((t) => hit(t) || named(t, model)).length;
    }
  }
  return flaggedCount / (20 * tools.length || 1);
}

function summary(j: Judged): Record<string, number | string> {
  return {
    recall: round(j.caught / (j.poisoned || 1)),
    false_positive_rate: round(j.falseAlarms / (j.clean || 1), 4),
    poisoned: j.poisoned,
    clean: j.clean,
  };
}

interface Training {
  clean: LabelledTool[];
  written: Payload[];
}

/** Unseen: nothing of the labelled file in training. */
function unseenPart({ clean, written }: Training): void {
  const unseen = fit({ clean, payloads: written });
  const learned = judge(unseen.model, threshold, dev);
  const withRules = judge(unseen.model, threshold, dev, true);
  report({ ...summary(learned), per_family: JSON.stringify(perFamily(learned.perFamily)), threshold: round(threshold, 3) }, flag('json'), `Unseen: trained without ${file}; learned part and decoders`);
  report(summary(withRules), flag('json'), `Unseen, with the patterns too (they were written against ${file})`);
  if (show) process.stdout.write(`${[...learned.misses.map((m) => `missed ${m}`), ...learned.alarms.map((a) => `false alarm ${a}`)].join('\n')}\n`);
  const together = judge(unseen.model, threshold, dev, false, installation);
  report({ ...summary(together), per_family: JSON.stringify(perFamily(together.perFamily)) }, flag('json'), `Unseen, ${file} read as one installation: learned part, decoders and the names of its other servers' tools`);
  if (show) process.stdout.write(`${[...together.misses.map((m) => `missed ${m}`), ...together.alarms.map((a) => `false alarm ${a}`)].join('\n')}\n`);
  tradeOff(unseen.model);
}

/**
 * What each threshold would trade, for the classifier trained without the labelled file: its recall on that
 * file against the share of the kept-apart servers' tools flagged. Reported, never used to choose.
 */
function tradeOff(model: Classifier): void {
  // The patterns are counted on the kept-apart set only: they were written against the labelled file.
  const scored = (tools: LabelledTool[], withPatterns: boolean) =>
    tools.map((t) => ({
      poisoned: t.label === 'poisoned',
      decoders: decodersFlag(t),
      patterns: withPatterns && flagged(scanDefinition(t.tool, { learned: model, learnedFindings: false })),
      score: toolScore(model, t).score,
    }));
  type Scored = ReturnType<typeof scored>;
  const share = (rows: Scored, t: number, poisoned: boolean, patterns = false) => {
    const set = rows.filter((r) => r.poisoned === poisoned);
    return set.filter((r) => r.decoders || (patterns && r.patterns) || r.score >= t).length / (set.length || 1);
  };
  const devScores = scored(dev, false);
  const fresh = scored(collected(keptApartFile), true);
  const rows = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, threshold, 0.95, 0.97, 0.98, 0.99, 0.995].sort((a, b) => a - b);
  report(
    Object.fromEntries(
      rows.map((t) => [
        t.toFixed(3),
        `dev recall ${round(share(devScores, t, true))}, dev false alarms ${round(share(devScores, t, false), 4)}, kept-apart flagged ${round(share(fresh, t, false), 4)} (${round(share(fresh, t, false, true), 4)} with the patterns)`,
      ]),
    ),
    flag('json'),
    `What each threshold (a one-sentence definition's bar) trades, for the classifier trained without ${file}: learned part and decoders`,
  );
}

/**
 * Cross-validated on the labelled file: the shipped recipe (which learns from the labelled file too) in
 * five folds, each trained on four fifths of the labelled records and tested on the fifth. Every fold holds
 * one poisoned record of each family; clean records are split by server, so no server's tools are both
 * learned and judged.
 */
function foldsPart({ clean, written }: Training): void {
  const k = 5;
  const fold = new Map<LabelledTool, number>();
  const seen = new Map<string, number>();
  for (const r of dev) {
    if (r.label !== 'poisoned') continue;
    const n = seen.get(r.family) ?? 0;
    seen.set(r.family, n + 1);
    fold.set(r, n % k);
  }
  const servers = [...new Set(dev.filter((r) => r.label === 'clean').map((r) => r.server))].sort();
  for (const r of dev) if (r.label === 'clean') fold.set(r, servers.indexOf(r.server) % k);
  const total = noneJudged();
  const together = noneJudged();
  for (let i = 0; i < k; i++) {
    const { model } = fit({ ...withLabelled(clean, dev.filter((r) => fold.get(r) !== i)), payloads: written });
    addUp(total, judge(model, threshold, dev.filter((r) => fold.get(r) === i)));
    addUp(together, judge(model, threshold, dev.filter((r) => fold.get(r) === i), false, installation));
  }
  report({ ...summary(total), per_family: JSON.stringify(perFamily(total.perFamily)), threshold: round(threshold, 3) }, flag('json'), `Five folds of ${file}: each fold judged by a classifier that learned from the other four (learned part and decoders)`);
  report({ ...summary(together), per_family: JSON.stringify(perFamily(together.perFamily)) }, flag('json'), `Five folds, ${file} read as one installation: learned part, decoders and the names of its other servers' tools`);
  if (show) process.stdout.write(`${[...total.misses.map((m) => `missed ${m}`), ...total.alarms.map((a) => `false alarm ${a}`)].join('\n')}\n`);
}

/**
 * Leave one family out: trained without any example of a family, tested on it. Without `labelled`, nothing
 * of the labelled file is learned from; with it, the shipped recipe is followed and every labelled record
 * not of the family is learned from too (a record is labelled with its main family only, so a record of
 * another family may carry some of the left-out family's words).
 */
function familiesPart({ clean, written }: Training, labelled = false): void {
  const intents = [...new Set(written.map((p) => p.intent))];
  const techniques = Object.keys(TECHNIQUE_FAMILY) as Exclude<Technique, 'plain'>[];
  const allTechniques: Technique[] = ['plain', ...techniques];
  const lofo: Record<string, string> = {};
  let heldCaught = 0;
  let heldTotal = 0;
  let togetherCaught = 0;
  for (const family of [...intents, ...techniques.map((t) => TECHNIQUE_FAMILY[t])]) {
    const technique = techniques.find((t) => TECHNIQUE_FAMILY[t] === family);
    const fitted = fit({
      ...withLabelled(clean, labelled ? dev.filter((r) => r.family !== family) : []),
      payloads: technique ? written : written.filter((p) => p.intent !== family),
      techniques: technique ? allTechniques.filter((t) => t !== technique) : allTechniques,
    });
    const testGenerated = generate({
      carriers: clean,
      payloads: technique ? written : written.filter((p) => p.intent === family),
      perPayload: technique ? 1 : 3,
      seed: 99,
      techniques: technique ? [technique] : ['plain'],
    });
    const devPart = judge(fitted.model, threshold, dev.filter((r) => r.family === family));
    const devTogether = judge(fitted.model, threshold, dev.filter((r) => r.family === family), false, installation);
    const genPart = judge(fitted.model, threshold, testGenerated);
    heldCaught += devPart.caught;
    heldTotal += devPart.poisoned;
    togetherCaught += devTogether.caught;
    lofo[family] = `dev ${devPart.caught}/${devPart.poisoned} (${devTogether.caught} as one installation), generated ${round(genPart.caught / (genPart.poisoned || 1))}`;
    if (show) process.stdout.write(`${devPart.misses.map((m) => `LOFO ${family} missed ${m}`).join('\n')}\n`);
  }
  const title = labelled ? `, having learned from the other families' records of ${file}` : '';
  report({ recall_on_dev: round(heldCaught / heldTotal), as_one_installation: round(togetherCaught / heldTotal), ...lofo }, flag('json'), `Leave one family out${title}: recall on the left-out family (learned part and decoders)`);
}

/** By server: two halves of the real clean tools' servers, each trained on and tested on the other. */
function serversPart({ clean, written }: Training): void {
  const servers = [...new Set(clean.map((t) => t.server))];
  const halves = serverFolds(clean, 2);
  const total = noneJudged();
  const together = noneJudged();
  const thresholds: number[] = [];
  const installed: number[] = [];
  halves.forEach((half, k) => {
    const fitted = fit({ clean: half, payloads: written, seed: 1 + k });
    const own = heldOutThreshold({ clean: half, payloads: written, seed: 11 + k }, FALSE_ALARMS);
    thresholds.push(own);
    const heldOut = halves[1 - k];
    const attacks = generate({ carriers: heldOut, payloads: written, perPayload: 1, seed: 50 + k });
    addUp(total, judge(fitted.model, own, [...heldOut, ...attacks]));
    // The held-out half's servers configured all at once, each tool's description read against their names.
    addUp(together, judge(fitted.model, own, heldOut, false, namesOthers(heldOut)));
    const hit = new Set(heldOut.filter((t) => decodersFlag(t) || toolScore(fitted.model, t).score >= own));
    installed.push(inInstallations(heldOut, (t) => hit.has(t), fitted.model));
  });
  report(
    {
      servers: servers.length,
      clean_tools: total.clean,
      false_positive_rate: round(total.falseAlarms / total.clean, 4),
      with_names_each_half_as_one_installation: round(together.falseAlarms / together.clean, 4),
      [`with_names_in_installations_of_${installationSize}_tools`]: round((installed[0] + installed[1]) / 2, 4),
      recall_on_generated: round(total.caught / total.poisoned),
      generated: total.poisoned,
      per_family: JSON.stringify(perFamily(total.perFamily)),
      thresholds: thresholds.map((t) => round(t, 3)).join(', '),
    },
    flag('json'),
    'By server: trained on half the servers, tested on the other half (learned part and decoders)',
  );
  if (show) process.stdout.write(`${total.alarms.map((a) => `false alarm ${a}`).join('\n')}\n`);
}

function perFamily(families: Judged['perFamily']): Record<string, number> {
  return Object.fromEntries(Object.entries(families).sort().map(([k, v]) => [k, round(v.caught / v.total)]));
}

/**
 * A server that lists thousands of tools: scanning them all ahead of its review gives way to other work
 * every few milliseconds. Reports how long that takes and the longest the event loop was held meanwhile.
 */
async function manyTools(): Promise<void> {
  const tools = Array.from({ length: 3000 }, (_, i) => ({
    name: `tool_${i}`,
    description: `Returns the forecast number ${i} for a city, hour by hour. Give the city's name and a day; the answer lists temperature and wind.`,
    inputSchema: { type: 'object' as const, properties: { city: { type: 'string', description: `The city ${i} to look up.` } } },
  }));
  const held = monitorEventLoopDelay({ resolution: 1 });
  held.enable();
  const started = performance.now();
  await scanAhead({ server: 'many', tools, prompts: [], resources: [], resourceTemplates: [], fetchedAt: 0 });
  const ms = performance.now() - started;
  held.disable();
  report({ tools: tools.length, scan_ms: round(ms), longest_hold_ms: round(held.max / 1e6) }, flag('json'), 'A server of 3,000 tools scanned ahead of its review, giving way to other work meanwhile');
}

shipped();
await manyTools();
keptApart(keptApartFile, 'Shipped scanner on real tools of servers kept apart from training (false alarms)');
if (!flag('shipped-only')) {
  const parts = new Set((option('parts') ?? 'unseen,folds,families,servers').split(','));
  const training = { clean: collected(option('clean')?.split(',')), written: allPayloads() };
  if (parts.has('unseen')) unseenPart(training);
  if (parts.has('folds')) foldsPart(training);
  if (parts.has('families')) familiesPart(training);
  if (parts.has('families-labelled')) familiesPart(training, true);
  if (parts.has('servers')) serversPart(training);
  if (parts.has('others')) othersPart(option('attacks'), flag('json'));
}
