// Newline-delimited JSON from a byte stream: the stdio framing of MCP.
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
