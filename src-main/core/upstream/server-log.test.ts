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

describe('why a server died, from its stderr', () => {
  const said = (...lines: string[]) => {
    const log = new ServerLog('s');
    for (const l of lines) log.write('stderr', l);
    return log.reasonInStderr();
  };

  it('gives the line that states the error, not the frames or the sign-off after it', () => {
    expect(said('Traceback (most recent call last):', '  File "/srv/main.py", line 1, in <module>', '    import requests', "ModuleNotFoundError: No module named 'requests'")).toBe(
      "ModuleNotFoundError: No module named 'requests'",
    );
    expect(said('panic: open config.yaml: no such file or directory', '', 'goroutine 1 [running]:', 'main.main()', '\t/src/main.go:12 +0x1d', 'exit status 2')).toBe(
      'panic: open config.yaml: no such file or directory',
    );
  });

  it('gives the last plain line when none states an error, and nothing from before Gatehouse\'s last note', () => {
    expect(said('starting', 'API_KEY is not set', '}')).toBe('API_KEY is not set');
    const log = new ServerLog('s');
    log.write('stderr', 'Error: an earlier run failed');
    log.write('gatehouse', 'connected (s 1.0)');
    expect(log.reasonInStderr()).toBeUndefined();
  });
});
