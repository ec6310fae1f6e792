// Tool vectors on disk, so a restart embeds nothing it has embedded before. One file per model: a header
// ("GHV1", dimensions) then fixed-size records of [sha256 of the embedded text][float32 × dims]. New
// vectors are appended; a torn last record (a crash mid-write) is ignored; the file is rewritten with the
// live vectors alone once most of it is stale.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MAGIC = Buffer.from('GHV1');
const HEADER = 8;
const KEY = 32;

export function vectorKey(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export class VectorCache {
  private readonly vectors = new Map<string, Float32Array>();
  private records = 0;

  constructor(
    private readonly file: string,
    private readonly dims: number,
  ) {}

  /** Reads the file; a missing, foreign or damaged file is an empty cache (vectors are only ever re-made). */
  load(): void {
    let data: Buffer;
    try {
      data = readFileSync(this.file);
    } catch {
      return;
    }
    if (data.length < HEADER || !data.subarray(0, 4).equals(MAGIC) || data.readUInt32LE(4) !== this.dims) return;
    const size = KEY + this.dims * 4;
    for (let at = HEADER; at + size <= data.length; at += size) {
      const key = data.toString('hex', at, at + KEY);
      const vector = new Float32Array(this.dims);
      Buffer.from(vector.buffer).set(data.subarray(at + KEY, at + size));
      this.vectors.set(key, vector);
      this.records++;
    }
  }

  get(key: string): Float32Array | undefined {
    return this.vectors.get(key);
  }

  get size(): number {
    return this.vectors.size;
  }

  /** Keeps these vectors and appends them to the file. */
  add(entries: [key: string, vector: Float32Array][]): void {
    const fresh = entries.filter(([key]) => !this.vectors.has(key));
    if (!fresh.length) return;
    for (const [key, vector] of fresh) this.vectors.set(key, vector);
    const chunk = Buffer.concat(fresh.map(([key, vector]) => this.record(key, vector)));
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    if (this.records === 0) writeFileSync(this.file, Buffer.concat([this.header(), chunk]), { mode: 0o600 });
    else appendFileSync(this.file, chunk);
    this.records += fresh.length;
  }

  /** Drops vectors no tool uses any more, when they are most of the file. */
  prune(live: Set<string>): void {
    if (this.records < 1000 || this.records < 2 * live.size) return;
    for (const key of this.vectors.keys()) if (!live.has(key)) this.vectors.delete(key);
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, Buffer.concat([this.header(), ...[...this.vectors].map(([k, v]) => this.record(k, v))]), { mode: 0o600 });
    renameSync(temp, this.file);
    this.records = this.vectors.size;
  }

  private header(): Buffer {
    const header = Buffer.alloc(HEADER);
    MAGIC.copy(header);
    header.writeUInt32LE(this.dims, 4);
    return header;
  }

  private record(key: string, vector: Float32Array): Buffer {
    return Buffer.concat([Buffer.from(key, 'hex'), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength)]);
  }
}
