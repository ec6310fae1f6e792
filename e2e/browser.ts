// Real Chromium for the window's tests: Debian's `chromium` driven by playwright-core. Tests skip on a
// machine without it, saying why, and fail in CI, where .ci/run installs it. Also: axe-core on a page,
// and screenshots kept under artifacts/screenshots (git-ignored; CI keeps them).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../test/helpers.js';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];

export const chromiumPath = CANDIDATES.find((p) => existsSync(p));

/** Whether the browser tests can run here; in CI they must. */
export function browserAvailable(): boolean {
  if (chromiumPath) return true;
  const problem = `no Chromium at ${CANDIDATES.join(', ')} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI) throw new Error(`CI must provide Chromium (see .ci/run): ${problem}`);
  process.stderr.write(`skipping the window's browser tests: ${problem}\n`);
  return false;
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * axe-core's serious and critical violations on the page as it is now, or (`within`, a selector) in one part
 * of it (the context must bypass CSP to inject it).
 */
export async function seriousViolations(page: Page, within?: string): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async (selector) => {
    type Result = { violations: AxeViolation[] };
    const w = window as unknown as { axe: { run: (ctx: Document | { include: string[] }, opts: object) => Promise<Result> }; axeQueue?: Promise<unknown> };
    // axe refuses a run while another is going: one asked for again before an earlier one ended (a poll
    // on a slow machine) waits for it.
    const run = () => w.axe.run(selector ? { include: [selector] } : document, { resultTypes: ['violations'] });
    const mine: Promise<Result> = (w.axeQueue ?? Promise.resolve()).then(run, run);
    w.axeQueue = mine;
    const result = await mine;
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  }, within);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const SCREENSHOTS = path.join(ROOT, 'artifacts', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // The header and the navigation are fixed: taken scrolled down, the whole page would show them halfway down.
  const scrolled = await page.evaluate(() => window.scrollY);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  await page.evaluate((y) => window.scrollTo(0, y), scrolled);
  return file;
}
