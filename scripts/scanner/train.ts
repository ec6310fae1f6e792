// Trains the scanner's classifier on everything there is: the real clean tools collected from npm
// servers, attacks generated from training/scanner/payloads.txt, and a labelled set (the dev set of
// shared/bench/poisoning by default). Writes resources/scanner/classifier.json.
//   npm run scanner:train -- [--dataset <file.jsonl>] [--clean <clean-tools.jsonl>[,<more.jsonl>…]]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLASSIFIER_FILE } from '../../src-main/core/security/scanner/index.js';
import { option } from '../../bench/stats.js';
import { allPayloads, collected, labelled } from './dataset.js';
import { FALSE_ALARMS, fit, heldOutThreshold, withLabelled } from './fit.js';

const dataset = labelled(option('dataset') ?? '../shared/bench/poisoning/dev.jsonl');
const started = performance.now();
const clean = collected(option('clean')?.split(','));
const payloads = allPayloads();
// The threshold comes from servers left out of training, where in-sample scores would set it too low.
const threshold = heldOutThreshold({ clean, payloads }, FALSE_ALARMS);
const fitted = fit({ ...withLabelled(clean, dataset), payloads });
const target = path.join('resources', CLASSIFIER_FILE);
writeFileSync(target, `${JSON.stringify({ ...fitted.model.file, threshold: Math.round(threshold * 1e4) / 1e4, trainedOn: fitted.counts })}\n`);
process.stdout.write(`${target}: threshold ${threshold.toFixed(4)}, ${JSON.stringify(fitted.counts)}, ${Math.round(performance.now() - started)} ms\n`);
