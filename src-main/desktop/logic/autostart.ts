// Start at login on Linux, where Electron's login items do nothing: an XDG autostart entry
// (~/.config/autostart/gatehouse.desktop) that starts the app in the tray, without its window.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Where the desktop looks for programs to start at login ($XDG_CONFIG_HOME/autostart). */
export function autostartFile(env: NodeJS.ProcessEnv, home: string): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'autostart', 'gatehouse.desktop');
}

/** An argument of an Exec line, quoted as the Desktop Entry specification asks. */
function execArg(value: string): string {
  return /[\s"'\\`$<>|&;()*?#~]/.test(value) ? `"${value.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : value;
}

/** The entry that runs `launcher` with `args` (the app's own, ending in the flag that keeps it in the tray). */
export function autostartEntry(launcher: string, args: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Gatehouse',
    'Comment=One local endpoint for your MCP servers',
    `Exec=${[launcher, ...args].map(execArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export async function autostartOn(file: string): Promise<boolean> {
  try {
    const text = await fs.readFile(file, 'utf8');
    // A person may have switched it off in their desktop's settings, which keep the file.
    return !/^(?:Hidden=true|X-GNOME-Autostart-enabled=false)\s*$/m.test(text);
  } catch {
    return false;
  }
}

export async function setAutostart(file: string, on: boolean, launcher: string, args: readonly string[]): Promise<void> {
  if (!on) return fs.rm(file, { force: true });
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, autostartEntry(launcher, args));
}
