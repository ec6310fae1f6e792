// What the desktop app is built and released with, checked without Electron's binary (which cannot be
// downloaded here): the release workflow against GitHub's workflow schema (action-validator), the
// electron-builder config against electron-builder's own schema, and `npm start` falling back to the
// headless core with its window in the browser, saying why in one line.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, waitFor } from './helpers.js';

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

const VALIDATOR = path.join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs');

describe('building and releasing the desktop app', () => {
  it('has a release workflow GitHub accepts, building on macOS, Windows and Linux and attaching the installers', async () => {
    const file = path.join(ROOT, '.github', 'workflows', 'release.yml');
    const checked = await run(process.execPath, [VALIDATOR, file]);
    expect(checked.code, checked.out).toBe(0);
    const workflow = parse(readFileSync(file, 'utf8')) as { jobs: Record<string, { strategy?: { matrix?: { os?: string[] } }; steps: { run?: string }[] }> };
    expect(workflow.jobs.installers.strategy?.matrix?.os).toEqual(['macos-latest', 'windows-latest', 'ubuntu-latest']);
    expect(workflow.jobs.installers.steps.some((s) => s.run === 'npm run dist')).toBe(true);
    expect(workflow.jobs.release.steps.some((s) => s.run?.includes('gh release create'))).toBe(true);
    // The validator does refuse a broken workflow.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-workflow-'));
    try {
      writeFileSync(path.join(dir, 'broken.yml'), 'name: broken\non: [push]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: not-a-list\n');
      expect((await run(process.execPath, [VALIDATOR, path.join(dir, 'broken.yml')])).code).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has an electron-builder config its schema accepts: the installers, fuses, the icon, Electron's rebuilt native modules", () => {
    const config = parse(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, any>;
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const valid = ajv.validate(schema, config);
    expect(valid, JSON.stringify(ajv.errors)).toBe(true);
    const targets = (platform: string) => (config[platform].target as { target: string; arch: string[] }[]).map((t) => `${t.target}:${t.arch.join('+')}`);
    expect(targets('mac')).toEqual(['dmg:x64+arm64']);
    expect(targets('win')).toEqual(['nsis:x64+arm64', 'msi:x64+arm64']);
    expect(targets('linux')).toEqual(['AppImage:x64+arm64', 'deb:x64+arm64']);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true, enableEmbeddedAsarIntegrityValidation: true });
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(true);
    expect(readFileSync(path.join(ROOT, config.icon)).subarray(1, 4).toString()).toBe('PNG');
    expect(config.extraMetadata.main).toBe('dist/desktop/main.cjs');
  });

  it('npm start says in one line why there is no desktop app here, then serves the window in the browser', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-start-'));
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs'), '--port', '0'], { env: { ...process.env, GATEHOUSE_HOME: home, DISPLAY: '' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await waitFor(() => /Open the window: http:\/\/127\.0\.0\.1:\d+\/ui\/login\?code=/.test(out), `the window's address (${out})`, 30_000);
      const firstLine = out.split('\n')[0];
      expect(firstLine).toMatch(/^Starting headless, with the window in your browser: (Electron's binary is not installed|there is no display|Electron is not installed)/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(home, { recursive: true, force: true });
    }
  });
});
