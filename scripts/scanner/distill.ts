// Distils the bundled sentence model into a static token table for the scanner (the Model2Vec method):
// every vocabulary token is run through the model on its own, the outputs are reduced by PCA, and a
// sentence's vector becomes the mean of its tokens' rows. A table look-up costs microseconds where a model
// run costs milliseconds, and a tool has dozens of strings to read.
//   npm run scanner:distill   (writes resources/scanner/token-vectors.bin)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Matrix, EigenvalueDecomposition } from 'ml-matrix';
import ort from 'onnxruntime-node';
import { findModelDir, MODEL } from '../../src-main/core/search/semantic/model.js';
import { DIMS, encodeTable } from '../../src-main/core/security/meaning/token-table.js';

async function main() {
  const dir = findModelDir();
  if (!dir) throw new Error('the bundled model is missing: run npm run model:fetch');
  const session = await ort.InferenceSession.create(path.join(dir, MODEL.files.model), { intraOpNumThreads: 2 });
  const vocab = (JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(path.join(dir, MODEL.files.tokenizer), 'utf8'))) as { model: { vocab: Record<string, number> } }).model.vocab;
  const size = Math.max(...Object.values(vocab)) + 1;
  const cls = vocab['[CLS]'];
  const sep = vocab['[SEP]'];
  const full = 384;
  const out = new Float32Array(size * full);
  const batch = 512;
  for (let start = 0; start < size; start += batch) {
    const n = Math.min(batch, size - start);
    const ids = new BigInt64Array(n * 3);
    for (let i = 0; i < n; i++) ids.set([BigInt(cls), BigInt(start + i), BigInt(sep)], i * 3);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [n, 3]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(n * 3).fill(1n), [n, 3]),
    };
    if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(n * 3), [n, 3]);
    const hidden = (await session.run(feeds))[session.outputNames[0]].data as Float32Array;
    // Mean-pooled like a sentence, so a one-token sentence gets what the model itself would give it.
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < 3; p++) for (let d = 0; d < full; d++) out[(start + i) * full + d] += hidden[(i * 3 + p) * full + d] / 3;
    }
    if (start % (batch * 10) === 0) process.stderr.write(`${start}/${size}\n`);
  }
  // PCA: centre, then project on the top DIMS eigenvectors of the covariance.
  const mean = new Float64Array(full);
  for (let r = 0; r < size; r++) for (let d = 0; d < full; d++) mean[d] += out[r * full + d] / size;
  const cov = Array.from({ length: full }, () => new Float64Array(full));
  const row = new Float64Array(full);
  for (let r = 0; r < size; r++) {
    for (let d = 0; d < full; d++) row[d] = out[r * full + d] - mean[d];
    for (let a = 0; a < full; a++) {
      const x = row[a];
      for (let b = a; b < full; b++) cov[a][b] += x * row[b];
    }
  }
  for (let a = 0; a < full; a++) for (let b = 0; b < a; b++) cov[a][b] = cov[b][a];
  const evd = new EigenvalueDecomposition(new Matrix(cov.map((r) => [...r])), { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => [v, i] as const).sort((x, y) => y[0] - x[0]).slice(0, DIMS).map(([, i]) => i);
  const vectors = evd.eigenvectorMatrix;
  const table = new Float32Array(size * DIMS);
  for (let r = 0; r < size; r++) {
    for (let d = 0; d < full; d++) row[d] = out[r * full + d] - mean[d];
    order.forEach((col, k) => {
      let s = 0;
      for (let d = 0; d < full; d++) s += row[d] * vectors.get(d, col);
      table[r * DIMS + k] = s;
    });
  }
  const target = path.join('resources', 'scanner', 'token-vectors.bin');
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, encodeTable(table, size));
  process.stdout.write(`${target}: ${size} tokens × ${DIMS} dimensions\n`);
}

void main();
