// The newest release of a package, asked of its registry the way a person pinning it by hand would: npm
// through the npm on their PATH (so their .npmrc's registry and credentials count); a Python package of the
// index its runner would install from (its command line, then its environment), else PyPI's JSON API.
// Asked only when a person pins a server's release.
import { execFile } from 'node:child_process';
import { explain, rcompare, valid } from '@renovatebot/pep440';
import type { PackageRun } from './releases.js';

const ASK_MS = 30_000;
/** npm's rule for a package name, checked before it is put on a command line (npm.cmd runs through a shell on Windows). */
const NPM_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*$/;
const PYPI_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Why the newest release could not be found, in words that say what to do. */
export class ReleaseLookupError extends Error {
  override name = 'ReleaseLookupError';
}

export async function newestRelease(run: Pick<PackageRun, 'registry' | 'name'>, index?: string): Promise<string> {
  if (run.registry === 'npm') return newestOnNpm(run.name);
  return index && !isPypi(index) ? newestOnIndex(run.name, index) : newestOnPypi(run.name);
}

/**
 * The package index a Python run installs from: named on its command line, else in the variables its
 * runner reads, as it gets them (its entry's environment over Gatehouse's). Undefined: PyPI.
 */
export function packageIndex(run: Pick<PackageRun, 'index'>, entryEnv: Record<string, string> = {}, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!run.index) return undefined;
  if (run.index.named) return run.index.named;
  for (const name of run.index.vars) {
    const value = Object.hasOwn(entryEnv, name) ? entryEnv[name] : env[name];
    if (!value) continue;
    if (value.includes('${')) throw new ReleaseLookupError(`the package index in ${name} is named through a placeholder, which Gatehouse does not fill to ask it`);
    return value;
  }
  return undefined;
}

function isPypi(index: string): boolean {
  return /^https?:\/\/pypi\.org\/simple\/?$/.test(index.trim());
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

/**
 * Asks a package index of the Simple API (PEP 503, with PEP 691's JSON where it answers in it) for a
 * project's files, and takes the newest final release among them (the newest pre-release when there is no
 * final one), leaving out yanked files, as pip and uv do.
 */
async function newestOnIndex(name: string, index: string): Promise<string> {
  let base: URL;
  try {
    base = new URL(index.trim());
  } catch {
    throw new ReleaseLookupError('the package index it is told to install from is not a URL');
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new ReleaseLookupError(`the package index ${shown(index)} is not on http or https, which is all Gatehouse asks`);
  // Credentials in the URL go in a header: fetch refuses them in the URL, and they are never shown.
  const auth = base.username ? `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}` : undefined;
  base.username = base.password = '';
  const where = `${base.origin}${base.pathname}`;
  const page = new URL(`${name.toLowerCase().replace(/[-_.]+/g, '-')}/`, base.href.endsWith('/') ? base : `${base.href}/`);
  let answer: Response;
  try {
    answer = await fetch(page, {
      headers: { Accept: 'application/vnd.pypi.simple.v1+json, text/html;q=0.1', ...(auth ? { Authorization: auth } : {}) },
      signal: AbortSignal.timeout(ASK_MS),
    });
  } catch (err) {
    throw new ReleaseLookupError(`could not reach the package index ${where} for the newest release of ${name}: ${(err as Error).message}`);
  }
  if (answer.status === 404) throw new ReleaseLookupError(`the package index ${where} has no project named ${name}`);
  if (answer.status === 401 || answer.status === 403) throw new ReleaseLookupError(`the package index ${where} refused to list ${name} (${answer.status}): its credentials are missing or wrong`);
  if (!answer.ok) throw new ReleaseLookupError(`the package index ${where} answered ${answer.status} when asked for the newest release of ${name}`);
  const body = await answer.text();
  const versions = (answer.headers.get('content-type') ?? '').includes('json') ? versionsFromJson(body) : versionsFromHtml(body);
  const usable = versions.filter((v) => valid(v)).sort(rcompare);
  const newest = usable.find((v) => !explain(v)?.is_prerelease) ?? usable[0];
  if (!newest) throw new ReleaseLookupError(`the package index ${where} lists no release of ${name}`);
  return newest;
}

/** The index's URL without any credentials in it, for messages. */
function shown(index: string): string {
  return index.replace(/\/\/[^/@]*@/, '//');
}

function versionsFromJson(body: string): string[] {
  let page: { files?: { filename?: unknown; yanked?: unknown }[] };
  try {
    page = JSON.parse(body) as typeof page;
  } catch {
    return [];
  }
  return (page.files ?? []).filter((f) => !f.yanked && typeof f.filename === 'string').map((f) => versionOfFile(f.filename as string)).filter((v): v is string => !!v);
}

function versionsFromHtml(body: string): string[] {
  const versions: string[] = [];
  for (const [, attributes = '', text = ''] of body.matchAll(/<a\b([^>]*)>([^<]*)<\/a>/gi)) {
    if (/\bdata-yanked\b/i.test(attributes)) continue;
    const version = versionOfFile(text.trim());
    if (version) versions.push(version);
  }
  return versions;
}

/** A distribution file's version: a wheel's second field, an sdist's last. */
function versionOfFile(filename: string): string | undefined {
  if (filename.endsWith('.whl')) return filename.split('-')[1];
  const sdist = /^(.+)-([^-]+)\.(tar\.gz|zip|tar\.bz2)$/.exec(filename);
  return sdist?.[2];
}
