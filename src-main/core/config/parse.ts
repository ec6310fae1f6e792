// Turns config.json text into a validated config, or an error that names each bad path and what is expected.
import { z } from 'zod';
import { ConfigSchema, type GatehouseConfig } from '../../../src-shared/config/schema.js';

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
    /** What kind of mistake: an invalid value, a name that does not exist, or one that already does. */
    readonly kind: 'invalid' | 'not_found' | 'conflict' = 'invalid',
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function formatPath(p: ReadonlyArray<PropertyKey>): string {
  return p.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '') || '(top level)';
}

export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
}

export function validateConfig(value: unknown, source = 'config.json'): GatehouseConfig {
  const parsed = ConfigSchema.safeParse(value);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error);
    throw new ConfigError(`${source} is not valid:\n  - ${problems.join('\n  - ')}`, problems);
  }
  return parsed.data;
}

export function parseConfigText(text: string, source = 'config.json'): GatehouseConfig {
  if (text.trim() === '') return validateConfig({}, source);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const problem = whereInText(text, (err as Error).message);
    throw new ConfigError(`${source} is not valid JSON: ${problem}`, [problem]);
  }
  return validateConfig(value, source);
}

/**
 * JSON.parse's message with the line and column it points at (Node 20 gives only a character offset), and
 * a word on comments, which other tools' config files allow and this one does not.
 */
function whereInText(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (!at) return message;
  const offset = Number(at[1]);
  const before = text.slice(0, offset).split('\n');
  const where = /\bline \d+/.test(message) ? message : `${message} (line ${before.length} column ${before[before.length - 1].length + 1})`;
  return /^\/[/*]/.test(text.slice(offset)) ? `${where}: comments are not allowed in this file` : where;
}
