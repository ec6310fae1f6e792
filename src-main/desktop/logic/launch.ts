// How the desktop app was asked to start. A client that only spawns processes runs the app's own binary
// with `--stdio` (Electron's binary cannot run a script, and the app's fuses forbid running it as Node): that
// launch serves the gateway on stdin and stdout, with no window and no tray, and never stands in for the
// app's single instance.

export const STDIO_FLAG = '--stdio';

/**
 * The file that starts this app again later: an AppImage runs from a mount that goes when it quits, so
 * there it is the AppImage itself (which sets APPIMAGE); elsewhere the binary that runs.
 */
export function appLauncher(execPath: string, env: NodeJS.ProcessEnv): string {
  return env.APPIMAGE || execPath;
}

/** The command a stdio client is given: this binary, with the flag. */
export function stdioBridgeCommand(execPath: string): { command: string; args: string[] } {
  return { command: execPath, args: [STDIO_FLAG] };
}

/** Whether this launch is a client's stdio bridge (the flag among the arguments after the binary). */
export function isStdioBridge(argv: readonly string[]): boolean {
  return argv.slice(1).includes(STDIO_FLAG);
}

/**
 * A bridge that finds no app running starts it, in the tray without a window, and relays to it: one core
 * for every client and the window, which outlives the client that started it.
 */
export const BACKGROUND_FLAG = '--background';

/** The arguments that start the app in the background from this launch's: its own, less the bridge's flag. */
export function backgroundAppArgs(argv: readonly string[]): string[] {
  return [...argv.slice(1).filter((arg) => arg !== STDIO_FLAG && arg !== BACKGROUND_FLAG), BACKGROUND_FLAG];
}

/** Whether this launch (or a second launch the running app is told of) asks for the tray alone, no window. */
export function isBackgroundLaunch(argv: readonly string[]): boolean {
  return argv.slice(1).includes(BACKGROUND_FLAG);
}
