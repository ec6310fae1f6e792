// A server's log: its stderr and Gatehouse's notes about it, kept in memory (recent lines) and in
// logs/<server>.log under the Gatehouse home. A process that has not heard from the server yet (a command
// run while no Gatehouse serves) shows the file's last lines.
import { EventEmitter } from 'node:events';
import { closeSync, createWriteStream, fstatSync, mkdirSync, openSync, readSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { DIR_MODE, FILE_MODE } from '../state/index.js';

export interface LogLine {
  server: string;
  at: number;
  source: 'stderr' | 'gatehouse';
  text: string;
}

const KEEP_LINES = 500;
/** How much of the end of a log file is read for its last lines. */
const TAIL_BYTES = 256 * 1024;
/**
 * Lines of a crash report that say nothing of its cause: stack frames, a runtime's sign-off, an error's
 * indented properties, braces and carets.
 */
const NOISE = /^(?:\s+at\s|\s*File "|Node\.js v\d|[\s{}()[\]^~]*$|\s+\w+: |Traceback \(most recent call last\))/;
/** A line that states an error, in the forms runtimes print them. */
const STATES_ERROR = /^\s*(?:[\w.$]*(?:Error|Exception)\b|error\b|fatal\b|panic:|thread '.*' panicked)/i;
const FILE_LINE = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) \[(stderr|gatehouse)\] (.*)$/;

export class ServerLog extends EventEmitter<{ line: [LogLine] }> {
  private readonly recent: LogLine[] = [];
  private stream: WriteStream | undefined;
  private readonly since = Date.now();
  private earlierRead = false;

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
    // A line of its own begins with a time and a source; a note's further lines are indented, so text a
    // server put into one cannot pass for a line of its own.
    this.file()?.write(`${new Date(line.at).toISOString()} [${source}] ${line.text.replace(/\r?\n/g, '\n  ')}\n`);
    this.emit('line', line);
  }

  tail(n = 20): LogLine[] {
    if (!this.earlierRead) this.readEarlier();
    return this.recent.slice(-n);
  }

  /** Once: the lines the file holds from before this process heard from the server, ahead of its own. */
  private readEarlier(): void {
    this.earlierRead = true;
    if (!this.dir) return;
    let text: string;
    try {
      const fd = openSync(path.join(this.dir, `${this.server}.log`), 'r');
      try {
        const size = fstatSync(fd).size;
        const buffer = Buffer.alloc(Math.min(size, TAIL_BYTES));
        readSync(fd, buffer, 0, buffer.length, size - buffer.length);
        text = buffer.toString('utf8');
      } finally {
        closeSync(fd);
      }
    } catch {
      return;
    }
    const earlier: LogLine[] = [];
    let last: LogLine | undefined;
    for (const raw of text.split('\n')) {
      const m = FILE_LINE.exec(raw);
      const at = m ? Date.parse(m[1]) : NaN;
      if (m && at < this.since) earlier.push((last = { server: this.server, at, source: m[2] as LogLine['source'], text: m[3] }));
      else if (last && raw.startsWith('  ')) last.text += `\n${raw.slice(2)}`;
      else last = undefined;
    }
    const room = KEEP_LINES - this.recent.length;
    if (room > 0 && earlier.length) this.recent.unshift(...earlier.slice(-room));
  }

  /**
   * The stderr line that best says why a server died: of the lines since Gatehouse's last note about it, the
   * last that states an error ("Error: Cannot find module …", "ModuleNotFoundError: …", "panic: …"), else
   * the last that is not a stack frame or a runtime's sign-off. A crashing Node program ends with its
   * version ("Node.js v20.20.2"), which says nothing of the cause.
   */
  reasonInStderr(): string | undefined {
    let fallback: string | undefined;
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const { source, text } = this.recent[i];
      if (source === 'gatehouse') break;
      if (NOISE.test(text)) continue;
      if (STATES_ERROR.test(text)) return text.trim();
      fallback ??= text.trim();
    }
    return fallback;
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
