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

/**
 * Scripts the bundled model (trained on English) does not read: its vocabulary holds about 500 Chinese
 * characters one by one and none of their words (every other character is "unknown"), and their rows carry
 * no meaning a classifier can rely on.
 */
const UNREAD_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export class SentenceVectors {
  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly table: TokenTable,
    private readonly special: Set<number>,
    /** Per token: 1 in a script the model does not read, 2 a word piece it reads, 0 punctuation, digits. */
    private readonly kinds: Uint8Array,
    private readonly unknown: number,
  ) {}

  get dims(): number {
    return this.table.dims;
  }

  static load(): SentenceVectors {
    const modelDir = findModelDir();
    const tableFile = findResource(TABLE_FILE);
    if (!modelDir || !tableFile) throw new Error(`Gatehouse's scanner files are missing (resources/${TABLE_FILE}); reinstall Gatehouse.`);
    const json = JSON.parse(readFileSync(path.join(modelDir, MODEL.files.tokenizer), 'utf8')) as {
      added_tokens?: { id: number }[];
      model?: { vocab?: Record<string, number>; unk_token?: string };
    };
    const special = new Set((json.added_tokens ?? []).map((t) => t.id));
    const table = decodeTable(readFileSync(tableFile));
    const vocab = json.model?.vocab ?? {};
    const kinds = new Uint8Array(table.rows);
    for (const [token, id] of Object.entries(vocab)) {
      if (id < table.rows) kinds[id] = UNREAD_SCRIPT.test(token) ? 1 : /\p{L}/u.test(token) ? 2 : 0;
    }
    const unknown = json.model?.unk_token !== undefined && Object.hasOwn(vocab, json.model.unk_token) ? vocab[json.model.unk_token] : -1;
    return new SentenceVectors(new Tokenizer(json, {}), table, special, kinds, unknown);
  }

  /**
   * How the model reads a text: the tokens it reads, and the share of all tokens it does not (words in
   * UNREAD_SCRIPT, and characters outside its vocabulary, which it sees only as "unknown"). When it does not
   * read some, it reads the others only if one of them is a word: punctuation and digits alone mean nothing.
   */
  read(text: string): { ids: number[]; count: number; unread: number } {
    const all: number[] = this.tokenizer.encode(text).ids.filter((id: number) => id === this.unknown || (!this.special.has(id) && id < this.table.rows));
    const kept = all.filter((id) => id !== this.unknown && this.kinds[id] !== 1);
    const ids = kept.length === all.length || kept.some((id) => this.kinds[id] === 2) ? kept : [];
    return { ids, count: all.length, unread: all.length ? 1 - ids.length / all.length : 0 };
  }

  /** The unit-length mean of these tokens' rows (all zeros for no tokens). */
  vector(ids: number[]): Float32Array {
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
