// The activity log on a real SQLite database: nothing committed is lost when the process is killed
// mid-burst, every kind of tampering is found and named, retention keeps the chain verifiable, and a
// database that cannot be written degrades to a warning while records wait.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ActivityLog } from '../src-main/core/activity/index.js';
import { hashRecord } from '../src-main/core/activity/chain.js';
import { BIN, connectClient, ROOT, runCli, servers, startServe, tempHome, waitFor } from './helpers.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function files() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-activity-'));
  dirs.push(dir);
  return { dir, db: path.join(dir, 'activity.db'), head: path.join(dir, 'activity-head.json') };
}

async function fill(log: ActivityLog, n: number, at = Date.now()): Promise<void> {
  for (let i = 1; i <= n; i++) log.record({ at: at + i, kind: 'call', actor: 'agent', server: 's', tool: `t${i % 3}`, status: i % 5 ? 'ok' : 'error', durationMs: i, arguments: `{"i":${i}}` });
  await log.flush();
}

/** Changes the database behind the log's back, as someone with the file could. */
function tamper(db: string, sql: string): void {
  const raw = new Database(db);
  raw.exec(sql);
  raw.close();
}

describe('the activity log', () => {
  it('keeps every committed record when the process is killed mid-burst, and the chain still verifies', async () => {
    const f = files();
    const child = spawn(process.execPath, [path.join(ROOT, 'test', 'fixtures', 'activity-burst.mjs'), f.db, f.head], { stdio: ['ignore', 'pipe', 'inherit'] });
    let committed = 0;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        for (const m of d.toString().matchAll(/committed (\d+)/g)) committed = Math.max(committed, Number(m[1]));
        if (committed >= 20_000) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the writer exited (${code}) before it was killed`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    const log = new ActivityLog(f);
    log.open();
    const verified = await log.verify();
    expect(verified.problems).toEqual([]);
    expect(verified.last).toBeGreaterThanOrEqual(committed);
    expect(verified.checked).toBe(verified.last);
    await log.close();
  }, 60_000);

  it('finds an edited, a deleted, a reordered record and a cut tail, and says which', async () => {
    const f = files();
    const log = new ActivityLog(f);
    log.open();
    await fill(log, 20);
    expect(await log.verify()).toMatchObject({ ok: true, checked: 20 });
    await log.close();

    tamper(f.db, `UPDATE records SET arguments = '{"i":999}' WHERE seq = 5`);
    tamper(f.db, 'DELETE FROM records WHERE seq = 9');
    // Two records swap places: each keeps its number, the contents move.
    tamper(f.db, `UPDATE records SET arguments = CASE seq WHEN 12 THEN (SELECT arguments FROM records WHERE seq = 13) ELSE (SELECT arguments FROM records WHERE seq = 12) END,
                   hash = CASE seq WHEN 12 THEN (SELECT hash FROM records WHERE seq = 13) ELSE (SELECT hash FROM records WHERE seq = 12) END WHERE seq IN (12, 13)`);
    tamper(f.db, 'DELETE FROM records WHERE seq >= 19');
    const again = new ActivityLog(f);
    again.open();
    const { ok, problems } = await again.verify();
    await again.close();
    expect(ok).toBe(false);
    const said = problems.map((p) => p.problem).join('\n');
    expect(said).toContain('record 5 was changed');
    expect(said).toContain('record 9 was deleted');
    expect(said).toMatch(/record 12 (was changed|does not follow)/);
    expect(said).toMatch(/record 13 (was changed|does not follow)/);
    expect(said).toContain('records 19–20 at the end were deleted');
  });

  it('a record rewritten with a fresh hash still breaks the link to the next one', async () => {
    const f = files();
    const log = new ActivityLog(f);
    log.open();
    await fill(log, 5);
    await log.close();
    // Someone who knows the scheme edits record 3 and gives it a correct new hash: record 4 no longer follows it.
    const reader = new ActivityLog(f);
    reader.open();
    const original = (await reader.query({ limit: 5 })).find((r) => r.seq === 3)!;
    await reader.close();
    const forged = { ...original, arguments: '{"i":"forged"}' };
    const raw = new Database(f.db);
    raw.prepare('UPDATE records SET arguments = ?, hash = ? WHERE seq = 3').run(forged.arguments, hashRecord(forged));
    raw.close();
    const again = new ActivityLog(f);
    again.open();
    const said = (await again.verify()).problems.map((p) => p.problem).join('\n');
    await again.close();
    expect(said).not.toContain('record 3 was changed');
    expect(said).toContain('record 4 does not follow record 3');
  });

  it('retention drops the oldest by count and by age, and what is left still verifies', async () => {
    const f = files();
    let retention = { maxAgeDays: 365, maxRecords: 50, maxMB: 512 };
    const log = new ActivityLog(f, () => retention);
    log.open();
    await fill(log, 120, Date.now() - 10 * 86_400_000);
    await log.prune();
    let verified = await log.verify();
    expect(verified).toMatchObject({ ok: true, checked: 50, first: 71, last: 120 });
    retention = { ...retention, maxAgeDays: 5 };
    await fill(log, 10);
    await log.prune();
    verified = await log.verify();
    expect(verified).toMatchObject({ ok: true, checked: 10, first: 121, last: 130 });
    await log.close();
    // Deleting the oldest by hand is not retention.
    tamper(f.db, 'DELETE FROM records WHERE seq = 121');
    const again = new ActivityLog(f, () => retention);
    again.open();
    expect((await again.verify()).problems.map((p) => p.problem).join('\n')).toContain('at the start were deleted');
    await again.close();
  });

  it('filters, full text and per-tool statistics', async () => {
    const f = files();
    const log = new ActivityLog(f);
    log.open();
    await fill(log, 30);
    log.record({ at: Date.now(), kind: 'call', actor: 'agent', server: 'notes', tool: 'search', status: 'ok', durationMs: 3, arguments: '{"q":"quarterly budget"}', result: 'found: budget.xlsx' });
    expect((await log.query({ text: 'budget' })).map((r) => r.tool)).toEqual(['search']);
    expect(await log.query({ text: 'xlsx' })).toHaveLength(1);
    expect(await log.query({ server: 's', status: 'error' })).toHaveLength(6);
    expect((await log.query({ server: 's', tool: 't1', limit: 3 })).map((r) => r.seq)).toEqual([28, 25, 22]);
    expect(await log.query({ text: '"); DROP TABLE records; --' })).toEqual([]);
    const t0 = (await log.stats({ server: 's' })).find((s) => s.tool === 't0')!;
    expect(t0).toMatchObject({ calls: 10, errors: 2, p50Ms: 18, p99Ms: 30 });
    await log.close();
  });

  it('a database that cannot be written gives one warning; records wait and are written once it can be', async () => {
    const f = files();
    const log = new ActivityLog(f);
    log.open();
    await fill(log, 3);
    const warnings: string[] = [];
    log.on('warning', (m) => warnings.push(m));
    // Another process holds the write lock.
    const other = new Database(f.db, { timeout: 0 });
    other.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < 5; i++) log.record({ at: Date.now(), kind: 'server', actor: 'gatehouse', server: 's', status: 'ready' });
    await log.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not be written/);
    other.exec('COMMIT');
    other.close();
    await log.flush();
    expect(warnings[1]).toMatch(/written again/);
    expect(await log.verify()).toMatchObject({ ok: true, checked: 8 });
    await log.close();
  }, 30_000);

  it('a folder where the database cannot be created warns and keeps records in memory', async () => {
    const f = files();
    const blocked = path.join(f.dir, 'not-a-dir');
    writeFileSync(blocked, 'a file where a folder should be');
    chmodSync(blocked, 0o400);
    const log = new ActivityLog({ db: path.join(blocked, 'activity.db'), head: path.join(blocked, 'head.json') });
    const warnings: string[] = [];
    log.on('warning', (m) => warnings.push(m));
    log.open();
    log.record({ at: Date.now(), kind: 'server', actor: 'gatehouse', server: 's', status: 'ready' });
    await log.flush();
    expect(warnings[0]).toMatch(/cannot be opened/);
    expect(await log.query({})).toEqual([]);
    await log.close();
  });

  it('a process that closes its log exits, even when the keychain answers after the close', async () => {
    // A one-shot CLI command on a loaded machine: the keychain's mark arrived after the log closed and
    // started a writer thread nobody stopped, so the command printed its answer and never exited.
    const f = files();
    const child = spawn(process.execPath, [path.join(ROOT, 'test', 'fixtures', 'activity-slow-keychain.mjs'), f.db, f.head], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = await new Promise<number | null | 'still running'>((resolve) => {
      const timer = setTimeout(() => resolve('still running'), 10_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    if (exited === 'still running') child.kill('SIGKILL');
    expect(out).toBe('closed\n');
    expect(exited).toBe(0);
    const log = new ActivityLog(f);
    expect((await log.query({})).map((r) => r.detail)).toEqual(['one record']);
    await log.close();
  }, 30_000);
});

describe('gatehouse activity (the CLI, against a running serve)', () => {
  it('lists what an agent did, follows new records live, verifies the chain, exports it, and names tampering with a failing exit code', async () => {
    const t = await tempHome({ mcpServers: { everything: servers.everything } });
    const gh = await startServe(t.home);
    const env = { GATEHOUSE_HOME: t.home };
    try {
      const client = await connectClient(gh.url, gh.token);
      await client.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: 'kept for the record' } } });
      // What it read is on record too: a resource, and a prompt it got.
      const resource = (await client.listResources()).resources.find((r) => r.mimeType?.startsWith('text/'))!;
      const read = await client.readResource({ uri: resource.uri });
      const prompt = (await client.listPrompts()).prompts.find((p) => !p.arguments?.some((a) => a.required))!;
      await client.getPrompt({ name: prompt.name });
      await client.close();
      const reads = await waitFor(async () => {
        const r = await runCli(['activity', '--kind', 'read', '--json'], env);
        const found = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { tool: string; server: string; actor: string; result?: string });
        return found.length >= 2 ? found : undefined;
      }, 'the reads on record');
      const onRecord = reads.find((r) => r.tool === resource.uri)!;
      expect(onRecord).toMatchObject({ server: 'everything', actor: 'agent' });
      expect(onRecord.result).toContain((read.contents[0] as { text: string }).text.slice(0, 40));
      expect(reads.map((r) => r.tool)).toContain(prompt.name.replace(/^everything__/, ''));
      const listed = await runCli(['activity', '--kind', 'call', '--json'], env);
      expect(listed.code, listed.stderr).toBe(0);
      const records = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { tool: string; actor: string; client?: string; session?: string; arguments: string; result: string });
      const echo = records.find((r) => r.tool === 'echo')!;
      expect(echo).toMatchObject({ actor: 'agent', client: expect.stringContaining('gatehouse-test'), session: expect.stringMatching(/^[0-9a-f]{8}$/) });
      expect(echo.arguments).toContain('kept for the record');
      expect(echo.result).toContain('Echo: kept for the record');
      const table = await runCli(['activity', '--text', 'record'], env);
      expect(table.stdout).toMatch(/everything__echo/);

      const verified = await runCli(['activity', 'verify'], env);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(/intact/);
      const out = path.join(t.home, 'export.jsonl');
      const exported = await runCli(['activity', 'export', '--since', '1h', '--output', out], env);
      expect(exported.code, exported.stderr).toBe(0);
      const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number });
      expect(lines.length).toBeGreaterThan(3);
      expect(lines.map((l) => l.seq)).toEqual([...lines.map((l) => l.seq)].sort((a, b) => a - b));

      // --follow prints new records as they happen.
      const follower = spawn(process.execPath, [BIN, 'activity', '--follow', '--json', '--kind', 'call', '--limit', '1'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let followed = '';
      follower.stdout.on('data', (d: Buffer) => (followed += d.toString()));
      try {
        await waitFor(() => followed.includes('kept for the record'), 'the newest record, printed first', 15_000);
        const again = await connectClient(gh.url, gh.token);
        await again.callTool({ name: 'call_tool', arguments: { id: 'everything__echo', arguments: { message: 'followed live' } } });
        await again.close();
        await waitFor(() => followed.includes('followed live'), 'a new record, followed', 15_000);
      } finally {
        follower.kill('SIGINT');
      }

      tamper(path.join(t.home, 'state', 'activity.db'), `UPDATE records SET arguments = '{"message":"something else"}' WHERE tool = 'echo'`);
      const broken = await runCli(['activity', 'verify'], env);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(/tampered with[\s\S]*record \d+ was changed/);
    } finally {
      await gh.stop();
      t.cleanup();
    }
  }, 60_000);
});
