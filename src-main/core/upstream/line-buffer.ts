// Newline-delimited JSON from a byte stream (the stdio framing of MCP), and text lines (stderr).

/** The largest message a server may send by default (a result of this size is already far past any use). */
export const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/**
 * Splits a byte stream into lines in linear time: each chunk is scanned once, and a line's pieces are joined
 * once, when its newline arrives. A line longer than `maxBytes` is not kept: its first bytes are, so the
 * caller can say which request it answered, and the rest is dropped as it streams past.
 */
export class LineBuffer {
  private pieces: Buffer[] = [];
  private size = 0;
  private head: Buffer | undefined;

  constructor(private readonly maxBytes = DEFAULT_MAX_MESSAGE_BYTES) {}

  push(chunk: Buffer, onLine: (line: Buffer) => void, onOversized: (head: Buffer, size: number) => void): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, newline === -1 ? chunk.length : newline);
      if (this.head === undefined && this.size + piece.length > this.maxBytes) {
        this.head = Buffer.concat([...this.pieces, piece.subarray(0, 512)]).subarray(0, 512);
        this.pieces = [];
      } else if (this.head === undefined && piece.length) {
        this.pieces.push(piece);
      }
      this.size += piece.length;
      if (newline === -1) return;
      if (this.head !== undefined) onOversized(this.head, this.size);
      else if (this.size) onLine(this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces, this.size));
      this.clear();
      start = newline + 1;
    }
  }

  clear(): void {
    this.pieces = [];
    this.size = 0;
    this.head = undefined;
  }
}

/**
 * Calls `onMessage` for every JSON-RPC message on `stream`, `onError` for a line that is not JSON. A message
 * over `maxBytes` becomes an error answer to the request it answered (when its id can be read), so the call
 * fails at once with the reason instead of waiting for its timeout.
 */
export function readMessages(
  stream: NodeJS.ReadableStream,
  onMessage: (message: unknown) => void,
  onError: (err: Error) => void,
  maxBytes = DEFAULT_MAX_MESSAGE_BYTES,
  options: {
    /** Who writes the stream and which setting sets its limit, for the messages. */
    writer: string;
    setting?: string;
    /** A message over the limit; by default it becomes an error answer to the request it answered. */
    onOversized?: (id: string | number | undefined, reason: string) => void;
  } = { writer: 'the server', setting: 'maxMessageMB in config.json' },
): LineBuffer {
  const buffer = new LineBuffer(maxBytes);
  const onLine = (line: Buffer) => {
    const text = line.toString('utf8').replace(/\r$/, '');
    if (text.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return onError(new Error(`${options.writer} wrote a line that is not JSON-RPC: ${text.slice(0, 200)}`));
    }
    onMessage(message);
  };
  const onOversized = (head: Buffer, size: number) => {
    const limit = `${Math.round(maxBytes / 1024 / 1024)} MB`;
    const reason = `${options.writer} sent a message of ${(size / 1024 / 1024).toFixed(1)} MB, over the ${limit} limit${options.setting ? ` (${options.setting})` : ''}`;
    const found = /"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)/.exec(head.toString('utf8'))?.[1];
    const id = found === undefined ? undefined : (JSON.parse(found) as string | number);
    if (options.onOversized) return options.onOversized(id, reason);
    if (id === undefined) return onError(new Error(reason));
    onMessage({ jsonrpc: '2.0', id, error: { code: -32603, message: `Gatehouse dropped the answer: ${reason}` } });
  };
  stream.on('data', (chunk: Buffer) => buffer.push(chunk, onLine, onOversized));
  return buffer;
}

/** Calls `onLine` for every non-empty text line on `stream` (a last line without newline included). */
export function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    const lines = (partial + text).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) if (line) onLine(line);
  });
  stream.on('end', () => {
    if (partial) onLine(partial);
    partial = '';
  });
}
