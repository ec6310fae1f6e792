// The activity database: SQLite (better-sqlite3) in WAL mode in the home folder, with an FTS5 index
// over tool names, arguments, results and errors. Synchronous and small: the log decides when to write.
import Database from 'better-sqlite3';
import type { ActivityFilter, StoredRecord, ToolStats } from './types.js';

type Row = {
  seq: number;
  at: number;
  kind: string;
  actor: string;
  client: string | null;
  session: string | null;
  server: string | null;
  tool: string | null;
  status: string | null;
  duration_ms: number | null;
  rule: string | null;
  approval: string | null;
  arguments: string | null;
  result: string | null;
  error: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL,
  client TEXT, session TEXT, server TEXT, tool TEXT, status TEXT, duration_ms REAL, rule TEXT, approval TEXT,
  arguments TEXT, result TEXT, error TEXT, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_at ON records(at);
-- Per-tool statistics read from this index alone (a covering, partial index over calls).
CREATE INDEX IF NOT EXISTS records_calls ON records(server, tool, duration_ms, status, at) WHERE kind = 'call';
CREATE VIRTUAL TABLE IF NOT EXISTS records_fts USING fts5(tool, arguments, result, error, content='records', content_rowid='seq', detail='none');
CREATE TRIGGER IF NOT EXISTS records_ai AFTER INSERT ON records BEGIN
  INSERT INTO records_fts(rowid, tool, arguments, result, error) VALUES (new.seq, new.tool, new.arguments, new.result, new.error);
END;
CREATE TRIGGER IF NOT EXISTS records_ad AFTER DELETE ON records BEGIN
  INSERT INTO records_fts(records_fts, rowid, tool, arguments, result, error) VALUES ('delete', old.seq, old.tool, old.arguments, old.result, old.error);
END;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

function fromRow(r: Row): StoredRecord {
  const out: StoredRecord = { seq: r.seq, at: r.at, kind: r.kind as StoredRecord['kind'], actor: r.actor as StoredRecord['actor'], prevHash: r.prev_hash, hash: r.hash };
  const optional = { client: r.client, session: r.session, server: r.server, tool: r.tool, status: r.status, durationMs: r.duration_ms, rule: r.rule, approval: r.approval, arguments: r.arguments, result: r.result, error: r.error, detail: r.detail };
  for (const [k, v] of Object.entries(optional)) if (v !== null) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

/** A user's words as FTS5 terms: each word quoted, so punctuation is never query syntax. */
function ftsQuery(text: string): string | undefined {
  const words = text.match(/[\p{L}\p{N}_]+/gu);
  return words?.length ? words.map((w) => `"${w}"`).join(' ') : undefined;
}

export class ActivityStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;

  constructor(file: string) {
    this.db = new Database(file, { timeout: 2000 });
    this.db.pragma('journal_mode = WAL');
    // WAL with NORMAL: a committed batch survives the process being killed (not a power cut), at a
    // fraction of FULL's cost.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.insert = this.db.prepare(
      `INSERT INTO records (seq, at, kind, actor, client, session, server, tool, status, duration_ms, rule, approval, arguments, result, error, detail, prev_hash, hash)
       VALUES (@seq, @at, @kind, @actor, @client, @session, @server, @tool, @status, @durationMs, @rule, @approval, @arguments, @result, @error, @detail, @prevHash, @hash)`,
    );
  }

  /** The newest record's number and hash, to continue the chain from. */
  last(): { seq: number; hash: string } | undefined {
    return this.db.prepare('SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  }

  /** Writes a batch in one transaction: all of it is kept, or none. */
  write(records: StoredRecord[]): void {
    const fields = ['client', 'session', 'server', 'tool', 'status', 'durationMs', 'rule', 'approval', 'arguments', 'result', 'error', 'detail'] as const;
    this.db.transaction(() => {
      for (const r of records) {
        const row: Record<string, unknown> = { seq: r.seq, at: r.at, kind: r.kind, actor: r.actor, prevHash: r.prevHash, hash: r.hash };
        for (const f of fields) row[f] = r[f] ?? null;
        this.insert.run(row);
      }
    })();
  }

  query(filter: ActivityFilter): StoredRecord[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    const eq = (column: string, key: keyof ActivityFilter) => {
      if (filter[key] === undefined) return;
      where.push(`r.${column} = @${key}`);
      params[key] = filter[key];
    };
    eq('kind', 'kind');
    eq('server', 'server');
    eq('tool', 'tool');
    eq('client', 'client');
    eq('status', 'status');
    if (filter.since !== undefined) (where.push('r.at >= @since'), (params.since = filter.since));
    if (filter.until !== undefined) (where.push('r.at <= @until'), (params.until = filter.until));
    if (filter.before !== undefined) (where.push('r.seq < @before'), (params.before = filter.before));
    const match = filter.text ? ftsQuery(filter.text) : undefined;
    if (filter.text && !match) return [];
    if (match) (where.push('r.seq IN (SELECT rowid FROM records_fts WHERE records_fts MATCH @match)'), (params.match = match));
    params.limit = filter.limit ?? 100;
    const sql = `SELECT r.* FROM records r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.seq DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(params) as Row[]).map(fromRow);
  }

  /** Every record in order, for verification and export, without holding them all in memory. */
  *all(from = 0): Generator<StoredRecord> {
    for (const row of this.db.prepare('SELECT * FROM records WHERE seq >= ? ORDER BY seq').iterate(from) as IterableIterator<Row>) yield fromRow(row);
  }

  /** Calls, errors and duration percentiles per tool: counted in SQL, percentiles read off the (server, tool, duration) index. */
  stats(filter: { server?: string; since?: number }): ToolStats[] {
    const where = `kind = 'call'${filter.server !== undefined ? ' AND server = @server' : ''}${filter.since !== undefined ? ' AND at >= @since' : ''}`;
    const params = { server: filter.server, since: filter.since };
    const groups = this.db
      .prepare(`SELECT server, tool, COUNT(*) AS calls, SUM(status != 'ok') AS errors, MAX(at) AS lastAt FROM records WHERE ${where} GROUP BY server, tool ORDER BY calls DESC`)
      .all(params) as { server: string; tool: string; calls: number; errors: number; lastAt: number }[];
    const nth = this.db.prepare(`SELECT duration_ms AS d FROM records WHERE ${where} AND server = @s AND tool = @t ORDER BY duration_ms LIMIT 1 OFFSET @k`);
    const at = (g: { server: string; tool: string; calls: number }, q: number) =>
      ((nth.get({ ...params, s: g.server, t: g.tool, k: Math.min(g.calls - 1, Math.floor(q * g.calls)) }) as { d: number | null } | undefined)?.d ?? 0);
    // A call to a tool no server has is kept, but has no tool to count it under.
    return groups.filter((g) => g.server !== null && g.tool !== null).map((g) => ({ ...g, p50Ms: at(g, 0.5), p99Ms: at(g, 0.99) }));
  }

  meta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM records').get() as { n: number }).n;
  }

  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    return (pages - free) * size;
  }

  /** Deletes the oldest records: those older than `before` (a time), and beyond `keep` in number. Returns how many went, and the first kept. */
  prune(before: number, keep: number): { deleted: number; first: StoredRecord | undefined } {
    let deleted = 0;
    this.db.transaction(() => {
      // The newest record stays whatever its age: the chain, and how far it had got, go on from it.
      deleted += this.db.prepare('DELETE FROM records WHERE at < ? AND seq < (SELECT MAX(seq) FROM records)').run(before).changes;
      deleted += this.db.prepare('DELETE FROM records WHERE seq <= (SELECT seq FROM records ORDER BY seq DESC LIMIT 1 OFFSET ?)').run(keep).changes;
    })();
    const row = this.db.prepare('SELECT * FROM records ORDER BY seq LIMIT 1').get() as Row | undefined;
    return { deleted, first: row ? fromRow(row) : undefined };
  }

  close(): void {
    this.db.close();
  }
}
