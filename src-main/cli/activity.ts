// `gatehouse activity …`: what agents and people did, from the activity log — read with filters, followed
// live, verified against its hash chain, exported for archiving.
import { writeFile } from 'node:fs/promises';
import type { ApiClient, EventPayload, MethodInput } from '../../src-shared/api/index.js';
import { withApi } from './api.js';
import { CliError, EXIT, note, print, printJson, table } from './output.js';
import { counted } from '../../src-shared/counted.js';

type ActivityRecord = EventPayload<'activity.recorded'>;

export interface ActivityFilterOptions {
  kind?: string;
  server?: string;
  tool?: string;
  client?: string;
  status?: string;
  since?: string;
  text?: string;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30m", "2h", "7d" back from now, or a date/time; undefined when not given. */
export function parseSince(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const relative = /^(\d+(?:\.\d+)?)\s*([smhd])$/i.exec(value.trim());
  if (relative) return now - Number(relative[1]) * UNITS[relative[2].toLowerCase()];
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new CliError(`--since "${value}" is neither a time like 2026-11-28T09:00 nor a span like 30m, 2h or 7d`);
  return at;
}

function filterOf(o: ActivityFilterOptions): MethodInput<'activity.query'> {
  const kinds = ['call', 'read', 'server', 'trust', 'config', 'admin', 'signin'];
  if (o.kind !== undefined && !kinds.includes(o.kind)) throw new CliError(`--kind must be one of ${kinds.join(', ')}`);
  return { kind: o.kind as MethodInput<'activity.query'>['kind'], server: o.server, tool: o.tool, client: o.client, status: o.status, since: parseSince(o.since), text: o.text };
}

function line(r: ActivityRecord): Record<string, unknown> {
  const what =
    r.kind === 'call'
      ? `${r.server ?? '?'}__${r.tool ?? '?'}`
      : r.kind === 'read'
        ? `read ${r.tool ?? '?'} (${r.server ?? '?'})`
        : r.kind === 'admin'
          ? `${r.tool}${r.server ? ` ${r.server}` : ''}`
          : `${r.kind}${r.server ? ` ${r.server}` : ''}`;
  // A call's or read's detail is hidden text taken out of its answer: worth the line before its arguments.
  const info = r.kind === 'call' || r.kind === 'read' ? (r.error ?? r.detail ?? r.arguments ?? '') : (r.error ?? r.detail ?? '');
  const flat = info.replace(/\s+/g, ' ');
  return {
    seq: r.seq,
    time: new Date(r.at).toISOString().replace('T', ' ').slice(0, 19),
    who: r.client ? `${r.actor} (${r.client})` : r.actor,
    what,
    status: r.status ?? '',
    ms: r.durationMs === undefined ? '' : Math.round(r.durationMs),
    detail: flat.length > 60 ? `${flat.slice(0, 59)}…` : flat,
  };
}

const COLUMNS = ['seq', 'time', 'who', 'what', 'status', 'ms', 'detail'];

function matches(r: ActivityRecord, f: MethodInput<'activity.query'>): boolean {
  const text = f.text?.toLowerCase();
  return (
    (!f.kind || r.kind === f.kind) &&
    (!f.server || r.server === f.server) &&
    (!f.tool || r.tool === f.tool) &&
    (!f.client || r.client === f.client) &&
    (!f.status || r.status === f.status) &&
    (!text || [r.tool, r.arguments, r.result, r.error].some((v) => v?.toLowerCase().includes(text)))
  );
}

export async function showActivity(o: ActivityFilterOptions & { limit: number; follow?: boolean; json?: boolean }): Promise<void> {
  const filter = filterOf(o);
  await withApi({}, async (api, remote) => {
    if (o.follow && !remote) throw new CliError('--follow needs a running Gatehouse: start it with `gatehouse serve`', EXIT.unavailable);
    const { records } = await api.call('activity.query', { ...filter, limit: o.limit });
    const oldestFirst = [...records].reverse();
    if (o.json) oldestFirst.forEach((r) => print(JSON.stringify(r)));
    else print(oldestFirst.length ? table(oldestFirst.map(line), COLUMNS) : o.follow ? '' : 'No activity matches.');
    if (o.follow) await follow(api, filter, !!o.json);
  });
}

function follow(api: ApiClient, filter: MethodInput<'activity.query'>, json: boolean): Promise<void> {
  return new Promise((resolve) => {
    const stop = api.subscribe(
      (event) => {
        if (event.type !== 'activity.recorded' || !matches(event.payload, filter)) return;
        if (json) print(JSON.stringify(event.payload));
        else print(Object.values(line(event.payload)).map(String).join('  '));
      },
      () => resolve(),
    );
    process.once('SIGINT', () => {
      stop();
      resolve();
    });
  });
}

export async function verifyActivity(o: { json?: boolean }): Promise<number> {
  return withApi({}, async (api) => {
    const result = await api.call('activity.verify', {});
    if (o.json) printJson(result);
    else if (result.ok) print(`The activity log is intact: ${counted(result.checked, 'record')}${result.checked ? `, ${result.first}–${result.last}` : ''}.`);
    else print([`The activity log was tampered with (${counted(result.problems.length, 'problem')} in ${counted(result.checked, 'record')}):`, ...result.problems.map((p) => `  ${p.problem}`)].join('\n'));
    return result.ok ? EXIT.ok : EXIT.toolError;
  });
}

export async function exportActivity(o: ActivityFilterOptions & { format: string; output?: string }): Promise<void> {
  if (o.format !== 'jsonl') throw new CliError(`--format ${o.format} is not supported: use jsonl`);
  const filter = filterOf(o);
  await withApi({}, async (api) => {
    // Pages come newest first; an archive reads oldest first.
    const pages: ActivityRecord[][] = [];
    let before: number | undefined;
    do {
      const page = await api.call('activity.query', { ...filter, before, limit: 500 });
      pages.push(page.records);
      before = page.next;
    } while (before !== undefined);
    const lines = pages.reverse().flatMap((page) => [...page].reverse().map((r) => `${JSON.stringify(r)}\n`));
    if (o.output) await writeFile(o.output, lines.join(''), { mode: 0o600 });
    else lines.forEach((l) => process.stdout.write(l));
    if (o.output) note(`${counted(lines.length, 'record')} written to ${o.output}`);
  });
}
