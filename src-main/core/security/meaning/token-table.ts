// The scanner's static token table on disk: one row per vocabulary token of the bundled model, each row
// int8 with its own scale (a quarter of float32's size, and the rows are averaged anyway).
//   "GHTT1\0\0\0" · u32 rows · u32 dims · rows × f32 scale · rows × dims × i8
export const DIMS = 256;
const MAGIC = 'GHTT1\0\0\0';

export function encodeTable(table: Float32Array, rows: number): Buffer {
  const dims = table.length / rows;
  const buf = Buffer.alloc(16 + rows * 4 + rows * dims);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(rows, 8);
  buf.writeUInt32LE(dims, 12);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(table[r * dims + d]));
    const scale = max / 127 || 1;
    buf.writeFloatLE(scale, 16 + r * 4);
    for (let d = 0; d < dims; d++) buf.writeInt8(Math.round(table[r * dims + d] / scale), 16 + rows * 4 + r * dims + d);
  }
  return buf;
}

export interface TokenTable {
  rows: number;
  dims: number;
  scales: Float32Array;
  values: Int8Array;
}

export function decodeTable(buf: Buffer): TokenTable {
  if (buf.toString('latin1', 0, 8) !== MAGIC) throw new Error('not a Gatehouse token table');
  const rows = buf.readUInt32LE(8);
  const dims = buf.readUInt32LE(12);
  if (buf.length !== 16 + rows * 4 + rows * dims) throw new Error('the token table is cut short');
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) scales[r] = buf.readFloatLE(16 + r * 4);
  const values = new Int8Array(buf.buffer, buf.byteOffset + 16 + rows * 4, rows * dims);
  return { rows, dims, scales, values };
}
