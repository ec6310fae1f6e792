// The activity log's throughput and cost: records arriving (as calls finish) are queued and handed in
// batches to the writer thread. How many per second it writes, how long the event loop that serves calls
// waits meanwhile, the size on disk, and what reading (filters, full text, statistics, verification)
// costs at that size.
//   npm run bench:activity [-- --json] [--records N] [--rate N]
// Two runs: as fast as records can be produced (the most it writes per second), then a steady --rate
// (default 5,000 records/s for 10 s, as a busy gateway would produce them): does the queue stay short, and
// how long does the event loop wait meanwhile.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { ActivityLog } from '../src-main/core/activity/index.js';
import { flag, option, report, round } from './stats.js';

const RECORDS = Number(option('records') ?? 200_000);
const RATE = Number(option('rate') ?? 5000);
const STEADY_SECONDS = 10;
const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-activity-'));
const files = { db: path.join(dir, 'activity.db'), head: path.join(dir, 'activity-head.json') };

function record(i: number) {
  return {
    at: Date.now(),
    kind: 'call' as const,
    actor: 'agent' as const,
    client: `client-${i % 7}`,
    server: `server-${i % 40}`,
    tool: `tool_${i % 300}`,
    status: i % 50 ? 'ok' : 'error',
    durationMs: (i % 97) + 0.5,
    rule: 'allow',
    arguments: JSON.stringify({ path: `/home/user/projects/p${i % 1000}/file${i}.txt`, query: `find the quarterly report number ${i}` }),
    result: `Found ${i % 13} matches in project p${i % 1000}; the first is on line ${i % 400}.`,
  };
}

async function main(): Promise<void> {
  const log = new ActivityLog(files);
  log.open();
  let written = 0;
  log.on('recorded', (records) => (written += records.length));
  const waiting = () => log.backlog;

  // As fast as the writer takes them: 1,000 per turn of the event loop while fewer than 10,000 wait.
  const burstDelay = monitorEventLoopDelay({ resolution: 1 });
  burstDelay.enable();
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      if (waiting() < 10_000) for (let i = 0; i < 1000 && sent < RECORDS; i++) log.record(record(sent++));
      if (sent < RECORDS) setImmediate(tick);
      else resolve();
    };
    tick();
  });
  while (waiting() > 0) await log.flush();
  const seconds = (performance.now() - start) / 1000;
  burstDelay.disable();

  // Steady arrival: every 10 ms, what is due at the rate.
  const steadyDelay = monitorEventLoopDelay({ resolution: 1 });
  let longestQueue = 0;
  steadyDelay.enable();
  const steadyStart = performance.now();
  await new Promise<void>((resolve) => {
    let n = 0;
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - steadyStart) / 1000) * RATE);
      while (n < due) log.record(record(RECORDS + n++));
      longestQueue = Math.max(longestQueue, waiting());
      if (performance.now() - steadyStart >= STEADY_SECONDS * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  steadyDelay.disable();
  const drainStart = performance.now();
  await log.flush();
  const drainMs = performance.now() - drainStart;

  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return round(performance.now() - t, 1);
  };
  const figures = {
    records: RECORDS,
    max_records_per_s: Math.round(RECORDS / seconds),
    max_rate_event_loop_delay_p99_ms: round(burstDelay.percentile(99) / 1e6, 2),
    [`steady_${RATE}_per_s_longest_queue`]: longestQueue,
    [`steady_${RATE}_per_s_left_at_end_ms`]: round(drainMs, 1),
    [`steady_${RATE}_per_s_event_loop_delay_p99_ms`]: round(steadyDelay.percentile(99) / 1e6, 2),
    records_kept: written,
    db_mb: round((statSync(files.db).size + (statSync(`${files.db}-wal`, { throwIfNoEntry: false })?.size ?? 0)) / 1024 / 1024, 1),
    query_newest_100_ms: await time(() => log.query({ limit: 100 })),
    query_server_tool_ms: await time(() => log.query({ server: 'server-7', tool: 'tool_7', limit: 100 })),
    query_full_text_ms: await time(() => log.query({ text: 'quarterly report 123457', limit: 100 })),
    stats_all_tools_ms: await time(() => log.stats({})),
    verify_all_ms: await time(() => log.verify()),
  };
  await log.close();
  rmSync(dir, { recursive: true, force: true });
  report(figures, flag('json'), 'Activity log (better-sqlite3 in WAL mode, written in batches by a thread of its own)');
}

void main();
