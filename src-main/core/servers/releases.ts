// Which release of a package a command server runs, read from its command line: `npx -y some-server`
// installs whatever release is newest when it is installed, so a later release would run code the person
// never reviewed (its tool definitions pinned the same). Only an exact version keeps it as approved.

/** A package a runner fetches from a registry, and the version its spec names, if exact. */
export interface PackageRun {
  registry: 'npm' | 'PyPI';
  name: string;
  /** The exact version named; undefined when none is, or a range or tag is. */
  version?: string;
  /** How to name an exact version in this runner's spec, for the words shown. */
  pinned: string;
}

// Options of each runner that take a value (the next argument, unless given as --opt=value).
const NPM_VALUE_OPTIONS = new Set(['-p', '--package', '-c', '--call', '--registry', '--cache', '--userconfig', '-w', '--workspace', '--prefix']);
const UV_VALUE_OPTIONS = new Set(['--from', '--with', '--with-requirements', '--with-editable', '--python', '-p', '--index', '--index-url', '--extra-index-url', '--default-index', '-i', '--directory', '--project', '--config-file', '--cache-dir']);
const PIPX_VALUE_OPTIONS = new Set(['--spec', '--python', '--index-url', '-i', '--pip-args']);

/** The registry package `command args` runs, or undefined when it runs none (a local file, a URL, git). */
export function packageRun(command: string, args: string[] = []): PackageRun | undefined {
  const base = command.split(/[\\/]/).pop()!.replace(/\.(exe|cmd)$/i, '');
  const [first, second] = args;
  if (base === 'npx' || base === 'bunx') return npmPackage(args, NPM_VALUE_OPTIONS);
  if ((base === 'npm' && (first === 'exec' || first === 'x')) || ((base === 'pnpm' || base === 'yarn') && first === 'dlx') || (base === 'bun' && first === 'x')) {
    return npmPackage(args.slice(1), NPM_VALUE_OPTIONS);
  }
  if (base === 'uvx') return pythonPackage(args, UV_VALUE_OPTIONS, '--from');
  if (base === 'uv' && first === 'tool' && second === 'run') return pythonPackage(args.slice(2), UV_VALUE_OPTIONS, '--from');
  if (base === 'pipx' && first === 'run') return pythonPackage(args.slice(1), PIPX_VALUE_OPTIONS, '--spec');
  return undefined;
}

/** The first argument that is not an option or an option's value, and the values of `valued` options. */
function operands(args: string[], valued: Set<string>): { first?: string; values: Map<string, string[]> } {
  const values = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return { first: args[i + 1], values };
    if (!arg.startsWith('-')) return { first: arg, values };
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!valued.has(flag)) continue;
    const value = inline ?? args[++i];
    if (value !== undefined) values.set(flag, [...(values.get(flag) ?? []), value]);
  }
  return { values };
}

function npmPackage(args: string[], valued: Set<string>): PackageRun | undefined {
  const { first, values } = operands(args, valued);
  // With --package, the package is named there and the operand is one of its commands.
  const spec = values.get('--package')?.[0] ?? values.get('-p')?.[0] ?? first;
  if (!spec || /^[./~]|^[a-z+]+:|^[A-Za-z]:\\/.test(spec) || /^[^@/]+\/[^@/]+$/.test(spec)) return undefined; // a path, URL, git or owner/repo
  const at = spec.indexOf('@', 1);
  const name = at < 0 ? spec : spec.slice(0, at);
  const version = at < 0 ? undefined : spec.slice(at + 1);
  return { registry: 'npm', name, ...(version && EXACT_NPM.test(version) ? { version } : {}), pinned: `${name}@<version>` };
}

function pythonPackage(args: string[], valued: Set<string>, from: string): PackageRun | undefined {
  const { first, values } = operands(args, valued);
  const spec = values.get(from)?.[0] ?? first;
  if (!spec || /^[./~]|^[a-z+]+:|^[A-Za-z]:\\|\s@\s/.test(spec) || spec.includes('/')) return undefined; // a path, URL, git, or name @ URL
  const pinnedAt = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?(?:==([^,;\s]+)|@([^,;\s]+))?$/.exec(spec.trim());
  if (!pinnedAt) {
    // A range (>=, ~=, …): the name is what comes before it; no exact version.
    const name = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(spec)?.[0];
    return name ? { registry: 'PyPI', name, pinned: `${name}==<version>` } : undefined;
  }
  const [, name, eq, at] = pinnedAt;
  const version = eq ?? at;
  return { registry: 'PyPI', name: name!, ...(version && EXACT_PYPI.test(version) ? { version } : {}), pinned: `${name}==<version>` };
}

/** An exact release, not a range, a wildcard or a tag such as `latest`: semver for npm, PEP 440 for PyPI. */
const EXACT_NPM = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const EXACT_PYPI = /^(\d+!)?\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?(\+[0-9A-Za-z.]+)?$/;

/** What of the release it runs deserves a second look, in words; undefined when it is pinned or not a package. */
export function unpinnedRelease(command: string, args?: string[]): string | undefined {
  const run = packageRun(command, args);
  if (!run || run.version) return undefined;
  return `It runs the newest release of ${run.name} (${run.registry}) whenever it is installed: a later release would run code you did not review. Name one (${run.pinned}) to keep the one you approve.`;
}
