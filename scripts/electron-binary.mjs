// Where Electron's binary is, found the way the electron package does (path.txt, ELECTRON_OVERRIDE_DIST_PATH)
// but without the download its index.js starts when the binary is missing.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** @returns {{ binary: string, missing?: undefined } | { binary?: undefined, missing: string }} */
export function electronBinary() {
  let dir;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'Electron is not installed' };
  }
  const pathFile = path.join(dir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const binary = process.env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, executable) : path.join(dir, 'dist', executable);
  if (!existsSync(binary)) return { missing: "Electron's binary is not installed (it downloads from GitHub, which this machine may not reach)" };
  return { binary };
}
