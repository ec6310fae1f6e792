// Sentence vectors for the scanner and for rename detection, from the static token table distilled from
// the bundled model (scripts/scanner/distill.ts): the mean of a sentence's token rows, unit length. Loaded
// once, on first use, synchronously: a look-up costs microseconds, so scanning needs no worker.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { findResource } from '../../resources/index.js';
import { findModelDir, MODEL } from '../../search/index.js';
import { decodeTable, type TokenTable } from './token-table.js';

export const TABLE_FILE = path.join('scanner', 'token-vectors.bin');

export class SentenceVectors {
  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly table: TokenTable,
    private readonly special: Set<number>,
  ) {}

  get dims(): number {
    return this.table.dims;
  }

  static load(): SentenceVectors {
    const modelDir = findModelDir();
    const tableFile = findResource(TABLE_FILE);
    if (!modelDir || !tableFile) throw new Error(`Gatehouse's scanner files are missing (resources/${TABLE_FILE}); reinstall Gatehouse.`);
    const json = JSON.parse(readFileSync(path.join(modelDir, MODEL.files.tokenizer), 'utf8')) as { added_tokens?: { id: number }[] };
    const special = new Set((json.added_tokens ?? []).map((t) => t.id));
    return new SentenceVectors(new Tokenizer(json, {}), decodeTable(readFileSync(tableFile)), special);
  }

  /** Token ids of a text, without the special tokens around it. */
  tokens(text: string): number[] {
    return this.tokenizer.encode(text).ids.filter((id: number) => !this.special.has(id) && id < this.table.rows);
  }

  /** The unit-length mean of the text's token rows (all zeros for a text with no tokens). */
  vector(text: string, ids = this.tokens(text)): Float32Array {
    const { dims, scales, values } = this.table;
    const v = new Float32Array(dims);
    for (const id of ids) {
      const s = scales[id];
      const at = id * dims;
      for (let d = 0; d < dims; d++) v[d] += values[at + d] * s;
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += v[d] * v[d];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let d = 0; d < dims; d++) v[d] /= norm;
    return v;
  }
}

let shared: SentenceVectors | undefined;

/** The one table of this process, loaded on first use. */
export function sentenceVectors(): SentenceVectors {
  shared ??= SentenceVectors.load();
  return shared;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
