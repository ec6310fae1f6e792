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
  /** Where its spec sits in the arguments: at `index`, after `flag=` when given inline. */
  at: { index: number; flag?: string };
  /** The spec with an exact version named, in the form this runner reads there. */
  withVersion: (version: string) => string | undefined;
  /**
   * A PyPI run's package index: the one its command line names, and the environment variables its runner
   * reads one from, first first. Neither: PyPI itself (or what the runner's own config file says).
   */
  index?: { named?: string; vars: string[] };
}

// Options of each runner that take a value (the next argument, unless given as --opt=value).
const NPM_VALUE_OPTIONS = new Set(['-p', '--package', '-c', '--call', '--registry', '--cache', '--userconfig', '-w', '--workspace', '--prefix']);
const UV_VALUE_OPTIONS = new Set(['--from', '--with', '--with-requirements', '--with-editable', '--python', '-p', '--index', '--index-url', '--extra-index-url', '--default-index', '-i', '--directory', '--project', '--config-file', '--cache-dir']);
const PIPX_VALUE_OPTIONS = new Set(['--spec', '--python', '--index-url', '-i', '--pip-args']);

/** The registry package `command args` runs, or undefined when it runs none (a local file, a URL, git). */
export function packageRun(command: string, args: string[] = []): PackageRun | undefined {
  const base = command.split(/[\\/]/).pop()!.replace(/\.(exe|cmd)$/i, '');
  const [first, second] = args;
  if (base === 'npx' || base === 'bunx') return npmPackage(args, 0, NPM_VALUE_OPTIONS);
  if ((base === 'npm' && (first === 'exec' || first === 'x')) || ((base === 'pnpm' || base === 'yarn') && first === 'dlx') || (base === 'bun' && first === 'x')) {
    return npmPackage(args, 1, NPM_VALUE_OPTIONS);
  }
  if (base === 'uvx') return pythonPackage(args, 0, UV_VALUE_OPTIONS, '--from', '@');
  if (base === 'uv' && first === 'tool' && second === 'run') return pythonPackage(args, 2, UV_VALUE_OPTIONS, '--from', '@');
  if (base === 'pipx' && first === 'run') return pythonPackage(args, 1, PIPX_VALUE_OPTIONS, '--spec', '==');
  return undefined;
}

/** An argument and where it sits: at `index` of the arguments, after `flag=` when given inline. */
interface Placed {
  text: string;
  at: { index: number; flag?: string };
}

/** The first argument from `start` that is not an option or an option's value, and the values of `valued` options. */
function operands(args: string[], start: number, valued: Set<string>): { first?: Placed; values: Map<string, Placed[]> } {
  const values = new Map<string, Placed[]>();
  const placed = (index: number): Placed | undefined => (index < args.length ? { text: args[index]!, at: { index } } : undefined);
  for (let i = start; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return { first: placed(i + 1), values };
    if (!arg.startsWith('-')) return { first: placed(i), values };
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!valued.has(flag)) continue;
    const value = inline !== undefined ? { text: inline, at: { index: i, flag } } : placed(++i);
    if (value !== undefined) values.set(flag, [...(values.get(flag) ?? []), value]);
  }
  return { values };
}

function npmPackage(args: string[], start: number, valued: Set<string>): PackageRun | undefined {
  const { first, values } = operands(args, start, valued);
  // With --package, the package is named there and the operand is one of its commands.
  const placed = values.get('--package')?.[0] ?? values.get('-p')?.[0] ?? first;
  const spec = placed?.text;
  if (!placed || !spec || /^[./~]|^[a-z+]+:|^[A-Za-z]:\\/.test(spec) || /^[^@/]+\/[^@/]+$/.test(spec)) return undefined; // a path, URL, git or owner/repo
  const at = spec.indexOf('@', 1);
  const name = at < 0 ? spec : spec.slice(0, at);
  const version = at < 0 ? undefined : spec.slice(at + 1);
  return {
    registry: 'npm',
    name,
    ...(version && EXACT_NPM.test(version) ? { version } : {}),
    pinned: `${name}@<version>`,
    at: placed.at,
    withVersion: (exact) => `${name}@${exact}`,
  };
}

/**
 * `operandPin`: how an exact version is named on the command itself (uv reads `name@1.0` there and
 * `name==1.0` only in --from; pipx reads `name==1.0` in both).
 */
function pythonPackage(args: string[], start: number, valued: Set<string>, from: string, operandPin: '@' | '=='): PackageRun | undefined {
  const run = pythonSpec(args, start, valued, from, operandPin);
  if (!run) return undefined;
  const { values } = operands(args, start, valued);
  // uv reads UV_DEFAULT_INDEX, then the older UV_INDEX_URL; pipx runs pip, which reads PIP_INDEX_URL.
  const [flags, vars] = operandPin === '@' ? [['--default-index', '--index-url', '-i'], ['UV_DEFAULT_INDEX', 'UV_INDEX_URL']] : [['--index-url', '-i'], ['PIP_INDEX_URL']];
  const named = flags.map((flag) => values.get(flag)?.at(-1)?.text).find((url) => url !== undefined);
  return { ...run, index: { ...(named ? { named } : {}), vars } };
}

function pythonSpec(args: string[], start: number, valued: Set<string>, from: string, operandPin: '@' | '=='): PackageRun | undefined {
  const { first, values } = operands(args, start, valued);
  const placed = values.get(from)?.[0] ?? first;
  const spec = placed?.text;
  if (!placed || !spec || /^[./~]|^[a-z+]+:|^[A-Za-z]:\\|\s@\s/.test(spec) || spec.includes('/')) return undefined; // a path, URL, git, or name @ URL
  const onCommand = placed === first;
  // The name and any extras, as the spec writes them: `name[extra]` keeps its extras when pinned.
  const named = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?/.exec(spec.trim());
  const pin = (exact: string) => {
    if (!named) return undefined;
    if (onCommand && operandPin === '@') return named[2] ? undefined : `${named[1]}@${exact}`;
    return `${named[0]}==${exact}`;
  };
  const pinnedAt = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?(?:==([^,;\s]+)|@([^,;\s]+))?$/.exec(spec.trim());
  if (!pinnedAt) {
    // A range (>=, ~=, …): the name is what comes before it; no exact version.
    return named ? { registry: 'PyPI', name: named[1]!, pinned: `${named[1]}==<version>`, at: placed.at, withVersion: pin } : undefined;
  }
  const [, name, eq, at] = pinnedAt;
  const version = eq ?? at;
  return { registry: 'PyPI', name: name!, ...(version && EXACT_PYPI.test(version) ? { version } : {}), pinned: `${name}==<version>`, at: placed.at, withVersion: pin };
}

/** `args` with the package's spec naming `version`; undefined when this runner's spec cannot name one here. */
export function argsWithRelease(run: PackageRun, args: string[], version: string): string[] | undefined {
  const spec = run.withVersion(version);
  if (!spec || !(run.registry === 'npm' ? EXACT_NPM : EXACT_PYPI).test(version)) return undefined;
  const out = [...args];
  out[run.at.index] = run.at.flag ? `${run.at.flag}=${spec}` : spec;
  return out;
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
