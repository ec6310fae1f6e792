// Sentence vectors from the bundled model: tokenise, run the ONNX graph, mean-pool, normalise. Runs in
// the search worker (a run blocks its thread) and in the search benchmark.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import ort from 'onnxruntime-node';
import { MODEL } from './model.js';

export class Embedder {
  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly session: ort.InferenceSession,
    readonly dims: number,
  ) {}

  static async load(dir: string, threads = 1): Promise<Embedder> {
    const tokenizer = new Tokenizer(JSON.parse(await readFile(path.join(dir, MODEL.files.tokenizer), 'utf8')), {});
    const session = await ort.InferenceSession.create(path.join(dir, MODEL.files.model), {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    const probe = new Embedder(tokenizer, session, 0);
    const [vector] = await probe.embed(['probe']);
    return new Embedder(tokenizer, session, vector.length);
  }

  /** One unit-length vector per text. Texts of one batch are padded to the longest. */
  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const encoded = texts.map((t) => this.ids(t));
    const len = Math.max(...encoded.map((e) => e.length));
    const n = texts.length;
    const ids = new BigInt64Array(n * len);
    const mask = new BigInt64Array(n * len);
    encoded.forEach((e, i) => {
      for (let j = 0; j < e.length; j++) {
        ids[i * len + j] = BigInt(e[j]);
        mask[i * len + j] = 1n;
      }
    });
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [n, len]),
      attention_mask: new ort.Tensor('int64', mask, [n, len]),
    };
    if (this.session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(n * len), [n, len]);
    const output = (await this.session.run(feeds))[this.session.outputNames[0]];
    const hidden = output.data as Float32Array;
    const dims = output.dims[2];
    return encoded.map((e, i) => {
      const v = new Float32Array(dims);
      for (let j = 0; j < e.length; j++) {
        const at = (i * len + j) * dims;
        for (let d = 0; d < dims; d++) v[d] += hidden[at + d];
      }
      let norm = 0;
      for (let d = 0; d < dims; d++) norm += v[d] * v[d];
      norm = Math.sqrt(norm) || 1;
      for (let d = 0; d < dims; d++) v[d] /= norm;
      return v;
    });
  }

  /**
   * Whether the model knows any word of the text as a word: one token of two or more letters, not cut into
   * pieces. "zzqxv wubbalubba" is all pieces, and its nearest tools would be near by chance alone.
   */
  readsAWord(text: string): boolean {
    const tokens: string[] = this.tokenizer.encode(text).tokens;
    return tokens.some((t: string, i: number) => /^\p{L}{2,}$/u.test(t) && !tokens[i + 1]?.startsWith('##')) || /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(text);
  }

  async close(): Promise<void> {
    await this.session.release();
  }

  /** Token ids, cut to the model's limit with the closing special token kept. */
  private ids(text: string): number[] {
    const ids = this.tokenizer.encode(text).ids;
    return ids.length <= MODEL.maxTokens ? ids : [...ids.slice(0, MODEL.maxTokens - 1), ids[ids.length - 1]];
  }
}
