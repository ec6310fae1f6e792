// Files that ship with Gatehouse (the sentence model, the scanner's tables under `resources/`; the
// built UI under `dist/renderer/`), found by walking up from this module: the same code runs from the
// TypeScript sources, the compiled tree and the bundle.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = () => path.dirname(fileURLToPath(import.meta.url));

/** The absolute path of `<relative>` in the nearest folder above `from` that has it. */
export function findPackageFile(relative: string, from = here()): string | undefined {
  for (let dir = from, i = 0; i < 8; i++) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** The absolute path of `resources/<relative>`, or undefined when it is not there. */
export function findResource(relative: string, from = here()): string | undefined {
  const candidate = findPackageFile(path.join('resources', relative), from);
  if (!candidate) return undefined;
  // Inside the desktop app's archive, files native code reads are unpacked beside it.
  const unpacked = candidate.replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked');
  return unpacked !== candidate && existsSync(unpacked) ? unpacked : candidate;
}
