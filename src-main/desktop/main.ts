// Electron main process: the same core as `gatehouse serve`, its window over IPC (the React UI from the
// app:// protocol), a tray that keeps running when the window closes, and desktop notifications. What the
// shell decides (allowed URLs, the protocol's files, the tray's contents, which events notify) lives in
// ./logic as plain modules; this file only connects them to Electron.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, Notification, protocol, session, shell, Tray, type MenuItemConstructorOptions } from 'electron';
import Store from 'electron-store';
import { DEFAULT_PORT } from '../../src-shared/config/schema.js';
import type { ApiEvent } from '../../src-shared/api/index.js';
import { NotificationRules } from '../../src-shared/notices.js';
import { wantsByServer, type SignInStatus } from '../../src-shared/sign-in.js';
import { AlreadyRunning, Gatehouse, homePaths, relayStdio, resolveHome, runningWindow } from '../core/index.js';
import { serveAdminOverIpc } from './ipc/index.js';
import { APP_CSP, APP_ORIGIN, appFile, appLauncher, autostartFile, autostartOn, BACKGROUND_FLAG, backgroundAppArgs, setAutostart, isAllowedExternal, isAppUrl, isBackgroundLaunch, isStdioBridge, overallStatus, stdioBridgeCommand, trayMenu, type TrayItem, type TrayState } from './logic/index.js';

const ROOT = path.resolve(path.dirname(app.getAppPath()), path.basename(app.getAppPath()));
const RENDERER = path.join(ROOT, 'dist', 'renderer');
const PRELOAD = path.join(ROOT, 'dist', 'desktop', 'preload.cjs');
const ICON = path.join(ROOT, 'resources', 'icon.png');
const TRAY_ICON = path.join(ROOT, 'resources', 'tray.png');

/** Window placement and the UI's own preferences only: nothing of Gatehouse's state lives here. */
const store = new Store<{ bounds?: Electron.Rectangle; paused?: boolean; pausedServers?: string[] }>({ name: 'window' });

let core: Gatehouse | undefined;
let window: BrowserWindow | undefined;
let tray: Tray | undefined;
let quitting = false;
/** Notifications on screen whose cause can be dealt with, by cause: closed once it is (a call answered elsewhere). */
const shown = new Map<string, Notification>();
const rules = new NotificationRules((key) => {
  shown.get(key)?.close();
  shown.delete(key);
});

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** What a client that only spawns processes is given to start this app's stdio bridge. */
const STDIO_BRIDGE = stdioBridgeCommand(appLauncher(process.execPath, process.env));

if (isStdioBridge(process.argv)) {
  // A client's stdio bridge: the gateway on stdin and stdout, no window, no tray, no single-instance lock.
  bridgeStdio().then(
    () => app.exit(0),
    (err: Error) => {
      process.stderr.write(`Gatehouse could not serve on stdio: ${err.message}\n`);
      app.exit(1);
    },
  );
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A second launch shows the window of the first (one a client's bridge makes for the tray alone does not).
  app.on('second-instance', (_event, argv) => isBackgroundLaunch(argv) || showWindow());
  app
    .whenReady()
    .then(start)
    .catch(async (err: Error) => {
      // Opened from the Dock or the Start menu, stderr is seen by no one: say it in a dialog too.
      process.stderr.write(`Gatehouse could not start: ${err.message}\n`);
      if (!isBackgroundLaunch(process.argv)) await explainStartFailure(err);
      app.exit(1);
    });
}

/** Why the app could not start; when another Gatehouse (`gatehouse serve`) holds the home, the way to its window. */
async function explainStartFailure(err: Error): Promise<void> {
  if (!(err instanceof AlreadyRunning)) return dialog.showErrorBox('Gatehouse could not start', err.message);
  const { response } = await dialog.showMessageBox({
    type: 'info',
    title: 'Gatehouse is already running',
    message: 'Another Gatehouse serves this home',
    detail: err.message,
    buttons: ['Open its window in the browser', 'Quit'],
    defaultId: 0,
    cancelId: 1,
  });
  if (response !== 0) return;
  const url = await runningWindow(homePaths(resolveHome()).instance).catch(() => undefined);
  if (url) await shell.openExternal(url);
  else dialog.showErrorBox('Gatehouse could not open its window', `The Gatehouse at http://127.0.0.1:${err.port} did not answer: run \`gatehouse ui\` to try again.`);
}

/** The core's options, for the window's app and for a client's stdio bridge alike. */
function openCore(): Promise<Gatehouse> {
  // Opened from the Dock, Finder or the Start menu, the app's working folder is "/" or its install folder.
  // Stdio servers without a "cwd" start in it, and a relative path in their arguments would point there.
  if (app.isPackaged) process.chdir(app.getPath('home'));
  return Gatehouse.open({ home: resolveHome(), watchConfig: true, catalogueNewServers: true, searchModel: true, stdioBridge: STDIO_BRIDGE });
}

/** How long a bridge waits for the app it started to answer before serving on its own. */
const APP_START_MS = 20_000;

async function bridgeStdio(): Promise<void> {
  app.dock?.hide();
  // The app's endpoint serves this client, so its calls that wait for a yes show in the window. With no app
  // running, the bridge starts one in the tray (detached: it stays when the client quits) and relays to it.
  const log = (text: string) => void process.stderr.write(`${text}\n`);
  const relayTo = { instanceFile: homePaths(resolveHome()).instance, input: process.stdin, output: process.stdout, log };
  let relay = await relayStdio(relayTo);
  if (!relay) {
    // An app that failed exits non-zero; one that quits at once because another bridge's app got there
    // first exits 0, and that one is waited for.
    let failed = false;
    const started = spawn(appLauncher(process.execPath, process.env), backgroundAppArgs(process.argv), { detached: true, stdio: 'ignore' });
    started.once('error', () => (failed = true)).once('exit', (code) => (failed = code !== 0));
    started.unref();
    relay = await relayStdio({ ...relayTo, waitMs: APP_START_MS, gaveUp: () => failed });
  }
  if (relay) return relay.closed;
  log('Gatehouse: the app did not start; serving this client on its own');
  const bridge = await openCore();
  await bridge.serveStdio();
  await bridge.close();
}

async function start(): Promise<void> {
  core = await openCore();
  await core.listen(core.config().port ?? DEFAULT_PORT);
  secureSessions();
  protocol.handle('app', async (request) => {
    const found = appFile(RENDERER, request.url);
    if (!found) return new Response('Not found', { status: 404 });
    try {
      return new Response(await readFile(found.file), { headers: { 'content-type': found.type, 'content-security-policy': APP_CSP } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
  serveAdminOverIpc(ipcMain, core.admin, isAppUrl);
  core.admin.subscribe({
    deliver: (event: ApiEvent) => {
      const notice = rules.onEvent(event);
      if (notice && Notification.isSupported()) {
        const n = new Notification({ title: notice.title, body: notice.body });
        n.on('click', () => showWindow(notice.page));
        if (notice.key) {
          const key = notice.key;
          shown.set(key, n);
          n.on('close', () => shown.get(key) === n && shown.delete(key));
        }
        n.show();
      }
      if (['server.status', 'trust.changed', 'approval.requested', 'approval.resolved', 'config.changed'].includes(event.type)) void refreshTray();
      return true;
    },
    close: () => undefined,
  });
  tray = new Tray(nativeImage.createFromPath(TRAY_ICON));
  tray.on('click', () => showWindow());
  await refreshTray();
  // Started by a client's bridge or at login, it stays in the tray (macOS gives login items no arguments).
  const atLogin = process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
  if (!isBackgroundLaunch(process.argv) && !atLogin) showWindow();
}

/** Electron's security checklist, for every window and web contents. */
function secureSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // A sign-in page or a link opens in the system browser, if it is an address the app may open.
      if (isAllowedExternal(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

function showWindow(page = '/servers'): void {
  if (window && !window.isDestroyed()) {
    void window.loadURL(`${APP_ORIGIN}/index.html#${page}`);
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return;
  }
  const bounds = store.get('bounds');
  window = new BrowserWindow({
    width: bounds?.width ?? 1200,
    height: bounds?.height ?? 820,
    ...(bounds ? { x: bounds.x, y: bounds.y } : {}),
    title: 'Gatehouse',
    icon: ICON,
    webPreferences: { preload: PRELOAD, contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, spellcheck: false },
  });
  window.on('close', (event) => {
    store.set('bounds', window!.getBounds());
    // Closing the window keeps Gatehouse running in the tray.
    if (!quitting) {
      event.preventDefault();
      window!.hide();
    }
  });
  void window.loadURL(`${APP_ORIGIN}/index.html#${page}`);
}

async function trayState(): Promise<TrayState> {
  const status = (await core!.admin.call('status.get', {})) as { gateway: { url?: string }; servers: TrayState['servers'] };
  const servers = (await core!.admin.call('servers.list', {})) as { servers: TrayState['servers'] };
  const approvals = (await core!.admin.call('approvals.list', {})) as { requests: unknown[] };
  const { signIns } = (await core!.admin.call('auth.status', {})) as { signIns: SignInStatus[] };
  const wants = wantsByServer(signIns);
  return {
    servers: servers.servers.map((x) => ({ ...x, wants: wants.get(x.name) })),
    endpoint: status.gateway.url,
    paused: store.get('paused') ?? false,
    startAtLogin: await startsAtLogin(),
    approvalsWaiting: approvals.requests.length,
  };
}

/** Start at login, in the tray without the window: Electron's login items on macOS and Windows; on Linux, where they do nothing, an autostart entry. */
function startsAtLogin(): Promise<boolean> {
  if (process.platform === 'linux') return autostartOn(autostartFile(process.env, app.getPath('home')));
  return Promise.resolve(app.getLoginItemSettings().openAtLogin);
}

async function setStartAtLogin(on: boolean): Promise<void> {
  if (process.platform === 'linux') return setAutostart(autostartFile(process.env, app.getPath('home')), on, appLauncher(process.execPath, process.env), backgroundAppArgs(process.argv));
  app.setLoginItemSettings({ openAtLogin: on, args: [BACKGROUND_FLAG] });
}

async function refreshTray(): Promise<void> {
  if (!tray || !core) return;
  const state = await trayState();
  tray.setToolTip(overallStatus(state));
  tray.setContextMenu(Menu.buildFromTemplate(trayMenu(state).map((item) => toMenuItem(item, state))));
}

function toMenuItem(item: TrayItem, state: TrayState): MenuItemConstructorOptions {
  switch (item.kind) {
    case 'label':
      return { label: item.label, enabled: false };
    case 'separator':
      return { type: 'separator' };
    case 'submenu':
      return { label: item.label, submenu: item.items.map((i) => toMenuItem(i, state)) };
    case 'toggle':
      return { label: item.label, type: 'checkbox', checked: item.checked, click: () => void setStartAtLogin(!item.checked).then(refreshTray) };
    case 'action':
      return { label: item.label, enabled: item.enabled ?? true, click: () => void act(item.id, state) };
  }
}

async function act(id: Extract<TrayItem, { kind: 'action' }>['id'], state: TrayState): Promise<void> {
  switch (id) {
    case 'open':
      return showWindow();
    case 'review':
      return showWindow('/review');
    case 'approvals':
      return showWindow('/approvals');
    case 'copy-endpoint':
      if (state.endpoint) clipboard.writeText(state.endpoint);
      return;
    case 'pause':
    case 'resume': {
      const pause = id === 'pause';
      // Pausing disables every enabled server and remembers which, so resuming brings back those alone.
      const names = pause ? state.servers.filter((s) => s.state !== 'disabled').map((s) => s.name) : (store.get('pausedServers') ?? []);
      for (const name of names) await core!.admin.call(pause ? 'servers.disable' : 'servers.enable', { name }).catch(() => undefined);
      store.set('paused', pause);
      store.set('pausedServers', pause ? names : []);
      return refreshTray();
    }
    case 'quit':
      quitting = true;
      app.quit();
  }
}

app.on('window-all-closed', () => {
  // The tray keeps Gatehouse running.
});

app.on('before-quit', (event) => {
  quitting = true;
  if (!core) return;
  event.preventDefault();
  const closing = core;
  core = undefined;
  void closing.close().finally(() => app.quit());
});
