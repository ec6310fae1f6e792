// `npm start`: the desktop app where Electron can run; where it cannot (no binary, no display), one line
// saying so, then the headless core with the window in the browser (`gatehouse serve` prints its address).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The binary, and whether a window can open here. */
function desktop() {
  const found = electronBinary();
  if (found.missing) return found;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { missing: 'there is no display' };
  return found;
}

const { binary, missing } = desktop();
const [command, args] = binary ? [binary, [root]] : [process.execPath, [path.join(root, 'bin', 'gatehouse.cjs'), 'serve', ...process.argv.slice(2)]];
if (missing) process.stderr.write(`Starting headless, with the window in your browser: ${missing}.\n`);
const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
