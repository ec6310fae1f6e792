export { APP_ORIGIN, isAllowedExternal, isAppUrl } from './urls.js';
export { APP_CSP, appFile } from './protocol.js';
export { overallStatus, trayMenu, type TrayItem, type TrayState } from './tray-model.js';
export { appLauncher, backgroundAppArgs, BACKGROUND_FLAG, isBackgroundLaunch, isStdioBridge, stdioBridgeCommand } from './launch.js';
export { autostartFile, autostartOn, setAutostart } from './autostart.js';
