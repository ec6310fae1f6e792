// The newest release of a package, asked of its registry the way a person pinning it by hand would: npm
// through the npm on their PATH (so their .npmrc's registry and credentials count), PyPI through its JSON
// API. Asked only when a person pins a server's release.
import { execFile } from 'node:child_process';
import type { PackageRun } from './releases.js';

const ASK_MS = 30_000;
/** npm's rule for a package name, checked before it is put on a command line (npm.cmd runs through a shell on Windows). */
const NPM_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*$/;
const PYPI_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Why the newest release could not be found, in words that say what to do. */
export class ReleaseLookupError extends Error {
  override name = 'ReleaseLookupError';
}

export async function newestRelease(run: Pick<PackageRun, 'registry' | 'name'>): Promise<string> {
  return run.registry === 'npm' ? newestOnNpm(run.name) : newestOnPypi(run.name);
}

function newestOnNpm(name: string): Promise<string> {
  if (!NPM_NAME.test(name)) return Promise.reject(new ReleaseLookupError(`"${name}" is not an npm package name`));
  const windows = process.platform === 'win32';
  return new Promise((resolve, reject) => {
    execFile(windows ? 'npm.cmd' : 'npm', ['view', name, 'version'], { timeout: ASK_MS, shell: windows, windowsHide: true }, (err, stdout, stderr) => {
      if (err) {
        const said = /E404|404 Not Found/.test(stderr) ? `npm has no package named ${name}` : (stderr.split('\n').find((line) => /ERR!/.test(line)) ?? err.message).trim();
        reject(new ReleaseLookupError(`could not ask npm for the newest release of ${name}: ${said}`));
        return;
      }
      resolve(stdout.trim());
    });
  });
}

async function newestOnPypi(name: string): Promise<string> {
  if (!PYPI_NAME.test(name)) throw new ReleaseLookupError(`"${name}" is not a PyPI project name`);
  let answer: Response;
  try {
    answer = await fetch(`https://pypi.org/pypi/${encodeURIComponent(name)}/json`, { signal: AbortSignal.timeout(ASK_MS) });
  } catch (err) {
    throw new ReleaseLookupError(`could not reach PyPI for the newest release of ${name}: ${(err as Error).message}`);
  }
  if (answer.status === 404) throw new ReleaseLookupError(`PyPI has no project named ${name}`);
  if (!answer.ok) throw new ReleaseLookupError(`PyPI answered ${answer.status} when asked for the newest release of ${name}`);
  const body = (await answer.json().catch(() => undefined)) as { info?: { version?: unknown } } | undefined;
  const version = body?.info?.version;
  if (typeof version !== 'string') throw new ReleaseLookupError(`PyPI's answer for ${name} names no release`);
  return version;
}
