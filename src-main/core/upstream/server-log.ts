// A server's log: its stderr and Gatehouse's notes about it, kept in memory (recent lines) and in
// logs/<server>.log under the Gatehouse home.
import { EventEmitter } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { DIR_MODE, FILE_MODE } from '../state/index.js';

export interface LogLine {
  server: string;
  at: number;
  source: 'stderr' | 'gatehouse';
  text: string;
}

const KEEP_LINES = 500;

export class ServerLog extends EventEmitter<{ line: [LogLine] }> {
  private readonly recent: LogLine[] = [];
  private stream: WriteStream | undefined;

  constructor(
    readonly server: string,
    private readonly dir?: string,
    private readonly redact: (text: string) => string = (t) => t,
  ) {
    super();
  }

  /** Records a line, secrets scrubbed, in memory, in the log file and as an event. */
  write(source: LogLine['source'], text: string): void {
    const line: LogLine = { server: this.server, at: Date.now(), source, text: this.redact(text) };
    this.recent.push(line);
    if (this.recent.length > KEEP_LINES) this.recent.shift();
    this.file()?.write(`${new Date(line.at).toISOString()} [${source}] ${line.text}\n`);
    this.emit('line', line);
  }

  tail(n = 20): LogLine[] {
    return this.recent.slice(-n);
  }

  /** The last stderr line, to explain why a server died. */
  lastStderr(): string | undefined {
    for (let i = this.recent.length - 1; i >= 0; i--) if (this.recent[i].source === 'stderr') return this.recent[i].text;
    return undefined;
  }

  close(): void {
    this.stream?.end();
    this.stream = undefined;
  }

  private file(): WriteStream | undefined {
    if (!this.dir) return undefined;
    if (!this.stream) {
      mkdirSync(this.dir, { recursive: true, mode: DIR_MODE });
      this.stream = createWriteStream(path.join(this.dir, `${this.server}.log`), { flags: 'a', mode: FILE_MODE });
      this.stream.on('error', () => undefined);
    }
    return this.stream;
  }
}
