// Newline-delimited JSON from a byte stream (the stdio framing of MCP), and text lines (stderr).
export class LineBuffer {
  private buffer: Buffer | undefined;

  append(chunk: Buffer): void {
    this.buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
  }

  /** The next complete message, null when none is complete yet; throws on a line that is not JSON. */
  next(): unknown {
    if (!this.buffer) return null;
    const end = this.buffer.indexOf(0x0a);
    if (end === -1) return null;
    const line = this.buffer.toString('utf8', 0, end).replace(/\r$/, '');
    this.buffer = end + 1 < this.buffer.length ? this.buffer.subarray(end + 1) : undefined;
    if (line.trim() === '') return this.next();
    try {
      return JSON.parse(line);
    } catch {
      throw new Error(`the server wrote a line that is not JSON-RPC: ${line.slice(0, 200)}`);
    }
  }

  clear(): void {
    this.buffer = undefined;
  }
}

/** Calls `onMessage` for every JSON-RPC message on `stream`, `onError` for a line that is not JSON. */
export function readMessages(stream: NodeJS.ReadableStream, onMessage: (message: unknown) => void, onError: (err: Error) => void): LineBuffer {
  const buffer = new LineBuffer();
  stream.on('data', (chunk: Buffer) => {
    buffer.append(chunk);
    for (;;) {
      let message: unknown;
      try {
        message = buffer.next();
      } catch (err) {
        onError(err as Error);
        continue;
      }
      if (message === null) break;
      onMessage(message);
    }
  });
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
