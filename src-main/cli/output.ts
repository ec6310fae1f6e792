// How the CLI prints: plain tables for people, JSON for scripts, and exit codes that mean something.
// Text for people carries strings servers sent (descriptions, log lines, errors): its hidden and control
// characters are written as code points, so none reaches the terminal to act there.
import { withCodePoints } from '../../src-shared/hidden-characters.js';

export const EXIT = {
  ok: 0,
  /** The tool ran and reported an error. */
  toolError: 1,
  /** `scan`: the scanner flagged a definition. */
  flagged: 1,
  /** Bad usage or input: wrong arguments, invalid JSON, an invalid config. */
  usage: 2,
  /** A server could not be reached, started, or did not answer in time. */
  unavailable: 3,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '';
  const cells = rows.map((r) => columns.map((c) => (r[c] === undefined || r[c] === null ? '' : String(r[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}

// A reader that stops early (`| head`) closes the pipe: it had what it wanted, so that is no error, and
// the command still ends with its own exit code.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function print(text: string): void {
  if (text) process.stdout.write(`${withCodePoints(text)}\n`);
}

export function note(text: string): void {
  process.stderr.write(`${withCodePoints(text)}\n`);
}

/** Asks a yes/no question on a terminal; `yes` answers it beforehand. Without a terminal, says to pass --yes. */
export async function confirm(question: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) throw new CliError(`${question.replace(/\?$/, '')}: confirm on a terminal, or pass --yes`);
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('Nothing changed.');
}
