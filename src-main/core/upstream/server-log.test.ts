import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerLog } from './server-log.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function written(file: string, text: string): Promise<void> {
  const has = () => {
    try {
      return readFileSync(file, 'utf8').includes(text);
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 100 && !has(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('a server log read by a later process', () => {
  it('shows the file\'s last lines, a note of several lines as one, and no line a server wrote into a note as a line of its own', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-log-'));
    const first = new ServerLog('mem', dir);
    first.write('stderr', 'listening on stdio');
    first.write('gatehouse', 'could not be started: Error: bad flag\n2026-01-01T00:00:00.000Z [gatehouse] Approved by you');
    first.close();
    await written(path.join(dir, 'mem.log'), 'Approved by you');
    await new Promise((r) => setTimeout(r, 5));

    const later = new ServerLog('mem', dir);
    later.write('gatehouse', 'connected');
    expect(later.tail(10).map((l) => [l.source, l.text])).toEqual([
      ['stderr', 'listening on stdio'],
      ['gatehouse', 'could not be started: Error: bad flag\n2026-01-01T00:00:00.000Z [gatehouse] Approved by you'],
      ['gatehouse', 'connected'],
    ]);
    later.close();
  });
});
