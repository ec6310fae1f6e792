// The desktop shell's decisions, without Electron: which addresses it opens or loads, which files its
// protocol serves and what the tray shows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_CSP, appFile, appLauncher, autostartFile, autostartOn, setAutostart, backgroundAppArgs, isAllowedExternal, isAppUrl, isBackgroundLaunch, isStdioBridge, overallStatus, stdioBridgeCommand, trayMenu, type TrayState } from './index.js';

describe('addresses', () => {
  it('opens https and this machine in the browser, nothing else', () => {
    expect(isAllowedExternal('https://github.com/login/oauth/authorize?x=1')).toBe(true);
    expect(isAllowedExternal('http://127.0.0.1:5555/callback')).toBe(true);
    expect(isAllowedExternal('http://localhost:8080/')).toBe(true);
    for (const bad of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.com/', 'not a url', 'http://127.0.0.1.evil.com/']) {
      expect(isAllowedExternal(bad), bad).toBe(false);
    }
  });

  it("navigates only within the app's own origin", () => {
    expect(isAppUrl('app://gatehouse/index.html#/servers')).toBe(true);
    for (const bad of ['app://other/index.html', 'file:///index.html', 'http://127.0.0.1:39917/ui/', 'https://gatehouse/']) expect(isAppUrl(bad), bad).toBe(false);
  });
});

describe('the app:// protocol', () => {
  const root = path.resolve('/opt/gatehouse/dist/renderer');
  it('serves the files of the renderer folder with their types, and index.html for the root', () => {
    expect(appFile(root, 'app://gatehouse/')).toEqual({ file: path.join(root, 'index.html'), type: 'text/html; charset=utf-8' });
    expect(appFile(root, 'app://gatehouse/assets/index-abc.js')).toEqual({ file: path.join(root, 'assets', 'index-abc.js'), type: 'text/javascript; charset=utf-8' });
  });

  it('never anything outside it', () => {
    for (const bad of ['app://gatehouse/../../etc/passwd', 'app://gatehouse/%2e%2e/%2e%2e/etc/passwd', 'app://gatehouse/assets/..%2f..%2f..%2fetc%2fpasswd', 'app://gatehouse/a%00.js', 'app://gatehouse/..\\..\\x']) {
      const found = appFile(root, bad);
      expect(found === undefined || found.file.startsWith(root + path.sep), bad).toBe(true);
    }
    expect(appFile(root, 'app://gatehouse/assets/..%2f..%2f..%2fetc%2fpasswd')).toBeUndefined();
  });

  it('sends a CSP that forbids scripts from elsewhere, eval, plugins and framing', () => {
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).not.toContain('unsafe-eval');
    expect(APP_CSP).toContain("object-src 'none'");
    expect(APP_CSP).toContain("frame-ancestors 'none'");
  });
});

const server = (name: string, state: string, trust = 'approved', attention = 0) =>
  ({ name, state, trust, attention, transport: 'stdio', toolCount: 1 }) as TrayState['servers'][number];

describe('the tray', () => {
  it('says in one line how things stand, and lists each server, what waits, and the actions', () => {
    const state: TrayState = {
      servers: [server('fs', 'ready'), server('github', 'needs-sign-in'), server('new', 'idle', 'quarantined'), server('memory', 'error', 'approved', 2)],
      endpoint: 'http://127.0.0.1:39917/mcp',
      paused: false,
      startAtLogin: true,
      approvalsWaiting: 1,
    };
    expect(overallStatus(state)).toBe('Gatehouse — 4 servers, 1 running, 1 failing, 1 waiting for you');
    const menu = trayMenu(state);
    const servers = menu.find((i) => i.kind === 'submenu')!;
    expect(servers.kind === 'submenu' && servers.items.map((i) => (i.kind === 'label' ? i.label : ''))).toEqual(['fs: ready', 'github: needs sign-in', 'new: idle (quarantined)', 'memory: error']);
    const labels = menu.map((i) => ('label' in i ? i.label : '—'));
    expect(labels).toContain('Review (3 waiting)');
    expect(labels).toContain('Approvals (1 waiting)');
    expect(labels).toContain('Pause all servers');
    expect(menu.find((i) => i.kind === 'toggle')).toMatchObject({ id: 'start-at-login', checked: true });
    expect(labels.at(-1)).toBe('Quit Gatehouse');
  });

  it('says what a server that waits for a person wants, when its sign-in says: a key, or a key or a sign-in', () => {
    const state: TrayState = {
      servers: [{ ...server('api', 'needs-sign-in'), wants: 'key' }, { ...server('remote', 'needs-sign-in'), wants: 'key-or-sign-in' }, server('vault', 'needs-secret')],
      paused: false,
      startAtLogin: false,
      approvalsWaiting: 0,
    };
    const servers = trayMenu(state).find((i) => i.kind === 'submenu')!;
    expect(servers.kind === 'submenu' && servers.items.map((i) => (i.kind === 'label' ? i.label : ''))).toEqual(['api: needs a key', 'remote: needs a key or sign-in', 'vault: needs a secret']);
    expect(overallStatus(state)).toBe('Gatehouse — 3 servers, 3 waiting for you');
  });

  it('offers to resume when paused, and cannot copy an endpoint that is not there', () => {
    const menu = trayMenu({ servers: [], paused: true, startAtLogin: false, approvalsWaiting: 0 });
    expect(overallStatus({ servers: [], paused: true, startAtLogin: false, approvalsWaiting: 0 })).toBe('Gatehouse — paused');
    expect(menu.map((i) => ('label' in i ? i.label : ''))).toContain('Resume all servers');
    expect(menu.find((i) => i.kind === 'action' && i.id === 'copy-endpoint')).toMatchObject({ enabled: false });
  });
});

describe('a launch by a client that only spawns processes', () => {
  it('is told by its flag, and the command it is given carries that flag', () => {
    const exe = '/Applications/Gatehouse.app/Contents/MacOS/Gatehouse';
    const given = stdioBridgeCommand(exe);
    expect(given).toEqual({ command: exe, args: ['--stdio'] });
    expect(isStdioBridge([given.command, ...given.args])).toBe(true);
    // Opened from the Dock, the Start menu or a second launch: the window's app.
    expect(isStdioBridge([exe])).toBe(false);
    expect(isStdioBridge([exe, '--no-sandbox'])).toBe(false);
    // The binary's own path is no flag, even where an install folder is named like one.
    expect(isStdioBridge(['--stdio'])).toBe(false);
  });

  it('is given the AppImage itself, not the mount it runs from, which goes when it quits', () => {
    const mounted = '/tmp/.mount_GatehoXYZ/gatehouse';
    expect(stdioBridgeCommand(appLauncher(mounted, { APPIMAGE: '/home/me/Apps/Gatehouse.AppImage' })).command).toBe('/home/me/Apps/Gatehouse.AppImage');
    expect(appLauncher('/Applications/Gatehouse.app/Contents/MacOS/Gatehouse', {})).toBe('/Applications/Gatehouse.app/Contents/MacOS/Gatehouse');
  });

  it('starts the app in the tray alone, from the packaged binary or from a checkout', () => {
    const exe = '/Applications/Gatehouse.app/Contents/MacOS/Gatehouse';
    const packaged = backgroundAppArgs([exe, '--stdio']);
    expect(packaged).toEqual(['--background']);
    expect(isBackgroundLaunch([exe, ...packaged])).toBe(true);
    expect(isStdioBridge([exe, ...packaged])).toBe(false);
    // Run from a checkout, Electron's binary is given the app's folder first: it stays.
    expect(backgroundAppArgs(['/repo/node_modules/electron/dist/electron', '/repo', '--stdio'])).toEqual(['/repo', '--background']);
    expect(isBackgroundLaunch([exe])).toBe(false);
  });
});

describe('start at login on Linux', () => {
  it('writes an autostart entry that starts the app in the tray, and takes it away', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-autostart-'));
    try {
      const file = autostartFile({}, home);
      expect(file).toBe(path.join(home, '.config', 'autostart', 'gatehouse.desktop'));
      expect(autostartFile({ XDG_CONFIG_HOME: '/elsewhere' }, home)).toBe('/elsewhere/autostart/gatehouse.desktop');
      expect(await autostartOn(file)).toBe(false);
      await setAutostart(file, true, '/home/me/My Apps/Gatehouse.AppImage', backgroundAppArgs(['/tmp/.mount_x/gatehouse']));
      expect(await autostartOn(file)).toBe(true);
      // A path with a space is quoted, so the desktop runs the AppImage, not "/home/me/My".
      expect(readFileSync(file, 'utf8')).toContain('Exec="/home/me/My Apps/Gatehouse.AppImage" --background\n');
      // Switched off in the desktop's own settings, which keep the file: off here too.
      writeFileSync(file, readFileSync(file, 'utf8').replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
      expect(await autostartOn(file)).toBe(false);
      await setAutostart(file, false, '/unused', []);
      expect(await autostartOn(file)).toBe(false);
      await setAutostart(file, false, '/unused', []);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
