// Writes every classified unit's features, label and tool, for comparing kinds of classifier outside the
// training script (training/scanner/compare.py): the training servers' clean tools, the attacks generated
// into them, the dev set and the set of servers kept apart.
//   npm run scanner:features -- [--out <prefix>] [--seed <n>] [--embeddings] [--ids] [--matched <share>]
// <prefix>.f32: one row of float32 features per unit; <prefix>.json: each row's label and each tool's rows;
// with --embeddings, <prefix>.emb.f32: each unit's vector from the bundled sentence model run in full;
// with --ids, <prefix>.ids.i32 and <prefix>.offsets.i32: each unit's token ids in order (unit i's are
// ids[offsets[i]] up to ids[offsets[i + 1]]). --seed draws another set of generated attacks (carriers,
// hiding techniques, the grammar's sentences), to see how far a figure moves with the draw alone.
// --matched <share> puts that share of the generated attacks into one of the 50 clean tools nearest the
// instruction in meaning instead of any.
// --transplant <n> adds n sentences of real tools' descriptions put into another server's tool, learned as
// attacks of a class never left out (--transplant-orders: only those that speak to "you" or use a strong modal).
// --external <file> reads the attacks written by others from that file instead of the training data's
// (JSON Lines of {intent, text}, as training/scanner/external.py writes them); --external none leaves them out.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findModelDir } from '../../src-main/core/search/index.js';
// Straight from its module: the core's bundle leaves the ONNX runtime to the search worker.
import { Embedder } from '../../src-main/core/search/semantic/embedder.js';
import { FEATURE_NAMES, INTENTS } from '../../src-main/core/security/scanner/index.js';
import { sentenceVectors } from '../../src-main/core/security/meaning/index.js';
import { flag, option } from '../../bench/stats.js';
import { allPayloads, collected, EXTERNAL_FILE, generate, KEPT_APART_FILE, labelled, random, type LabelledTool, type Payload } from './dataset.js';
import { decodersFlag, NON_LATIN, toolFeatures, unitLabel } from './learn.js';

const out = option('out') ?? 'artifacts/scanner-features/units';
const seed = Number(option('seed') ?? 1);
if (!Number.isInteger(seed)) throw new Error(`--seed takes a whole number, not "${option('seed')}"`);
const clean = collected();
const matchedShare = Number(option('matched') ?? 0);
if (!(matchedShare >= 0 && matchedShare <= 1)) throw new Error(`--matched takes a share from 0 to 1, not "${option('matched')}"`);
const table = matchedShare ? sentenceVectors() : null;
const matched = table ? { share: matchedShare, nearest: 50, vector: (t: string) => table.vector(table.read(t).ids) } : undefined;
const external = option('external') ?? EXTERNAL_FILE;
const sets: Record<string, LabelledTool[]> = {
  clean,
  // Draw 1 is the training script's: its grammar's sentences are drawn with seed 5.
  generated: generate({ carriers: clean, payloads: allPayloads(seed + 4, external === 'none' ? null : external), perPayload: 2, seed, matched }),
  dev: labelled('../shared/bench/poisoning/dev.jsonl'),
  fifth: collected(KEPT_APART_FILE),
};
const transplants = Number(option('transplant') ?? 0);
if (transplants) {
  // Sentences of real tools' descriptions put into another server's tool: foreign to their host, of no
  // attack's phrasing. Their units are written with y = INTENTS.length + 1, an intent never left out.
  const rnd = random(seed + 11);
  const texts: { server: string; text: string }[] = [];
  const ordering = flag('transplant-orders');
  const [you, modal] = ['speaks to "you"', 'strong modal'].map((n) => FEATURE_NAMES.indexOf(n));
  for (const t of clean) {
    const { units, x } = toolFeatures(t);
    // With --transplant-orders, only sentences that speak to the reader ("you") or use a strong modal.
    units.forEach((u, k) => {
      if (u.field === 'description' && !u.pair && !u.via && u.text.split(/\s+/).length >= 5 && (!ordering || (x[k] && (x[k]![you] > 0 || x[k]![modal] > 0)))) texts.push({ server: t.server, text: u.text });
    });
  }
  const chosen: Payload[] = [];
  const servers: string[] = [];
  for (let k = 0; k < transplants; k++) {
    const s = texts[Math.floor(rnd() * texts.length)];
    chosen.push({ intent: 'prompt_injection', text: s.text });
    servers.push(s.server);
  }
  sets.transplant = generate({ carriers: clean, payloads: chosen, perPayload: 1, seed: seed + 12, techniques: ['plain', 'schema'] }).filter((t, i) => t.server !== servers[i]);
}

const vectors: Float32Array[] = [];
const rows: { y: number; pair: number; foreign: number }[] = [];
const texts: string[] = [];
const ids: number[][] = [];
const tokens = flag('ids') ? sentenceVectors() : null;
const tools: { set: string; id?: string; server?: string; label: string; family?: string; intent: string | null; decoders: number; units: number[] }[] = [];
for (const [set, list] of Object.entries(sets)) {
  for (const t of list) {
    const { units, x } = toolFeatures(t);
    const own: number[] = [];
    units.forEach((u, k) => {
      const v = x[k];
      if (!v) return;
      own.push(rows.length);
      const y = unitLabel(t, u);
      rows.push({ y: set === 'transplant' && y > 0 ? INTENTS.length + 1 : y, pair: u.pair ? 1 : 0, foreign: NON_LATIN.test(u.text) ? 1 : 0 });
      vectors.push(v);
      texts.push(u.text);
      if (tokens) ids.push(tokens.read(u.text).ids);
    });
    tools.push({ set, id: t.id, server: t.server, label: t.label, family: t.family, intent: set === 'transplant' ? null : (t.intent ?? null), decoders: decodersFlag(t) ? 1 : 0, units: own });
  }
  process.stderr.write(`${set}: ${list.length} tools, ${rows.length} units so far\n`);
}

mkdirSync(path.dirname(out), { recursive: true });
const dim = vectors[0].length;
const all = new Float32Array(vectors.length * dim);
vectors.forEach((v, i) => all.set(v, i * dim));
writeFileSync(`${out}.f32`, all);
// The named features come first in each row, then the sentence's vector.
writeFileSync(`${out}.json`, JSON.stringify({ dim, named: FEATURE_NAMES.length, rows, tools }));

// With --texts, each unit's text, for readers outside this script (another model's score beside the features).
if (flag('texts')) writeFileSync(`${out}.texts.json`, JSON.stringify(texts));

if (tokens) {
  // Each unit's token ids in order (the table's rows it reads), for readers that see word order.
  const offsets = new Int32Array(ids.length + 1);
  ids.forEach((t, i) => (offsets[i + 1] = offsets[i] + t.length));
  const flat = new Int32Array(offsets[ids.length]);
  ids.forEach((t, i) => flat.set(t, offsets[i]));
  writeFileSync(`${out}.ids.i32`, flat);
  writeFileSync(`${out}.offsets.i32`, offsets);
}

if (flag('embeddings')) {
  const dir = findModelDir();
  if (!dir) throw new Error('the bundled sentence model is missing: its folder under resources/models/ has no model.onnx');
  const embedder = await Embedder.load(dir, 2);
  // Each distinct text once, in batches of similar length so little is padding.
  const distinct = [...new Set(texts)].sort((a, b) => a.length - b.length);
  const byText = new Map<string, Float32Array>();
  for (let i = 0; i < distinct.length; i += 32) {
    const batch = distinct.slice(i, i + 32);
    (await embedder.embed(batch)).forEach((v, j) => byText.set(batch[j], v));
  }
  const emb = new Float32Array(texts.length * embedder.dims);
  texts.forEach((t, i) => emb.set(byText.get(t)!, i * embedder.dims));
  writeFileSync(`${out}.emb.f32`, emb);
  await embedder.close();
}
process.stdout.write(`${out}: ${rows.length} units of ${tools.length} tools, ${dim} features each\n`);
