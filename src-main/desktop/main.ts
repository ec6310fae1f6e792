// Electron main process: runs the same core as `gatehouse serve`. The window, tray and IPC bridge
// arrive with the desktop issue; today the app is the headless core with an app lifecycle.
import { app } from 'electron';
import { DEFAULT_PORT } from '../../src-shared/config/schema.js';
import { Gatehouse, resolveHome } from '../core/index.js';

let core: Gatehouse | undefined;

if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(async () => {
  core = await Gatehouse.open({ home: resolveHome(), watchConfig: true });
  await core.listen(core.config().port ?? DEFAULT_PORT);
});

app.on('before-quit', (event) => {
  if (!core) return;
  event.preventDefault();
  const closing = core;
  core = undefined;
  void closing.close().finally(() => app.quit());
});
