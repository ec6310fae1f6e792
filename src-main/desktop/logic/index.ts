export { APP_ORIGIN, isAllowedExternal, isAppUrl } from './urls.js';
export { APP_CSP, appFile } from './protocol.js';
export { overallStatus, trayMenu, type TrayItem, type TrayState } from './tray-model.js';
export { backgroundAppArgs, isBackgroundLaunch, isStdioBridge, stdioBridgeCommand } from './launch.js';
