// The desktop app itself, in Electron, where its binary is present (ELECTRON_OVERRIDE_DIST_PATH, or an
// installed electron package); it cannot be downloaded on machines without GitHub, and this spec then skips
// with the reason. The shell's decisions are unit-tested in Node (src-main/desktop/logic).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../test/helpers.js';
// @ts-expect-error a plain-JS script, shared with `npm start`
import { electronBinary } from '../scripts/electron-binary.mjs';

const executablePath = (electronBinary() as { binary?: string }).binary;
if (!executablePath) process.stderr.write("skipping the Electron specs: Electron's binary is not here (set ELECTRON_OVERRIDE_DIST_PATH to one)\n");

describe.skipIf(!executablePath)('the desktop app (Electron)', () => {
  it('opens the window from app:// with Node kept out of it, refuses navigation away, and stays in the tray when the window closes', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-desktop-'));
    const app = await electron.launch({ executablePath, args: [ROOT], env: { ...process.env, GATEHOUSE_HOME: home } });
    try {
      const page = await app.firstWindow();
      await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
      expect(page.url()).toMatch(/^app:\/\/gatehouse\//);
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys((globalThis as { gatehouse?: object }).gatehouse ?? {}).length)).toBeGreaterThan(30);
      await page.evaluate(() => (location.href = 'https://example.com/'));
      await page.waitForTimeout(500);
      expect(page.url()).toMatch(/^app:\/\/gatehouse\//);
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].close());
      expect(await app.evaluate(({ app: a }) => a.isReady())).toBe(true);
    } finally {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
