// The window with a server of thousands of tools, one of them a description of megabytes: how long the
// review page and the Tools page take to show them in real Chromium, and to answer a click.
//   npm run bench:window [-- --json] [--tools N] [--sentences N]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { approveAll } from './approve.js';
import { flag, option, report, round } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'gatehouse.cjs');
const TOOLS = Number(option('tools') ?? 3000);
const SENTENCES = Number(option('sentences') ?? 40_000);
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));

async function serve(home: string): Promise<{ login: string; base: string; stop: () => void }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--log-level', 'error'], { env: { ...process.env, GATEHOUSE_HOME: home, GATEHOUSE_SECRET_STORE: 'memory' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const login = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const url = /Open the window: (\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`gatehouse serve exited with ${code}`)));
  });
  return { login, base: new URL('/ui/', login).href, stop: () => child.kill('SIGTERM') };
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return round(performance.now() - started, 0);
}

async function main() {
  if (!CHROMIUM) throw new Error('no Chromium (apt-get install chromium, or set CHROMIUM_PATH)');
  const home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-window-'));
  const fixture = path.join(ROOT, 'test', 'fixtures', 'faulty-server.mjs');
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ searchByMeaning: false, mcpServers: { big: { command: process.execPath, args: [fixture, '--many', String(TOOLS), '--long', String(SENTENCES)] } } }));
  await approveAll(home);
  const gh = await serve(home);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] });
  try {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(gh.login);
    await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
    const reviewMs = await timed(async () => {
      await page.goto(`${gh.base}#/review/big`);
      await page.locator('[data-item]').first().waitFor({ timeout: 600_000 });
    });
    const cards = await page.locator('[data-item]').count();
    const selectMs = await timed(async () => {
      await page.getByRole('checkbox', { name: 'Select tool ok' }).check();
      await page.getByText('1 selected').waitFor();
    });
    const moreMs = await timed(async () => {
      await page.getByRole('button', { name: /^Show 50 more tools/ }).click();
      await page.locator('[data-item]').nth(cards * 2 - 1).waitFor();
    });
    const toolsMs = await timed(async () => {
      await page.goto(`${gh.base}#/tools`);
      await page.locator('[data-tool="big__ok"]').waitFor({ timeout: 600_000 });
    });
    const pickMs = await timed(async () => {
      await page.locator('[data-tool="big__long"]').click();
      await page.getByRole('button', { name: 'Call long' }).waitFor({ timeout: 600_000 });
    });
    report(
      {
        tools: TOOLS + 7,
        longest_description_chars: 'Returns the weather for a city. '.length * SENTENCES,
        review_page_ms: reviewMs,
        review_cards_drawn: cards,
        select_one_ms: selectMs,
        show_more_ms: moreMs,
        tools_page_ms: toolsMs,
        pick_longest_tool_ms: pickMs,
      },
      flag('json'),
      'The window with a server of thousands of tools (real Chromium)',
    );
  } finally {
    await browser.close();
    gh.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

void main();
