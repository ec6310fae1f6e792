import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openInBrowser } from './browser.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('openInBrowser', () => {
  // $BROWSER is a program that leaves a file behind when it is run: the test's stand-in for a browser.
  const browser = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-browser-'));
    dirs.push(dir);
    const marker = path.join(dir, 'opened');
    return { marker, env: { BROWSER: `${process.execPath} -e require('fs').writeFileSync(${JSON.stringify(marker)},process.argv[1])` } };
  };

  it('opens https pages, and http ones on this machine', async () => {
    const { marker, env } = browser();
    expect(openInBrowser('https://auth.example.com/authorize?client_id=a&state=b', env)).toBe(true);
    await expect.poll(() => existsSync(marker)).toBe(true);
  });

  it('opens no file, network share, other app scheme or address with credentials', async () => {
    for (const url of ['file:///etc/passwd', 'smb://attacker.example/share', 'ms-msdt:/id PCWDiagnostic', 'javascript:alert(1)', 'http://attacker.example/', 'https://user:pw@example.com/', 'not a url']) {
      const { marker, env } = browser();
      expect(openInBrowser(url, env)).toBe(false);
      await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(marker)).toBe(false);
    }
  });
});
