// `npm start`: the desktop app where Electron can run; where it cannot (no binary, no display), one line
// saying so, then the headless core with the window in the browser (`gatehouse serve` prints its address).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Where Electron's binary is, found the way the electron package does, but without its download on require. */
function electronBinary() {
  let dir;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'Electron is not installed' };
  }
  const pathFile = path.join(dir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const binary = process.env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, executable) : path.join(dir, 'dist', executable);
  if (!existsSync(binary)) return { missing: "Electron's binary is not installed (it downloads from GitHub, which this machine may not reach)" };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { missing: 'there is no display' };
  return { binary };
}

const { binary, missing } = electronBinary();
const [command, args] = binary ? [binary, [root]] : [process.execPath, [path.join(root, 'bin', 'gatehouse.cjs'), 'serve', ...process.argv.slice(2)]];
if (missing) process.stderr.write(`Starting headless, with the window in your browser: ${missing}.\n`);
const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
