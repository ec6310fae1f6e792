// Options every command shares, and parsing of the small value formats the CLI accepts.
import { Option } from 'commander';
import { CliError } from './output.js';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const logLevelOption = () =>
  new Option('--log-level <level>', 'how much to print on stderr; trace prints every JSON-RPC frame').choices(LOG_LEVELS).default('warn');

export function atLeast(level: LogLevel, wanted: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(wanted);
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`--port must be a number from 0 to 65535, not "${value}"`);
  return n;
}

/** `--limit <n>`: a whole number of at least 1. */
export function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--limit must be a whole number of at least 1, not "${value}"`);
  return n;
}

/** `KEY=VALUE`, repeatable, into a record. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function collectPair(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new CliError(`expected KEY=VALUE, got "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${what} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`${what} must be a JSON object, like '{"path": "/tmp"}'`);
  return value as Record<string, unknown>;
}
