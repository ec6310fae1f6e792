// How a server will be started, for the person deciding on it: beyond its command, the environment it gets,
// where it runs, whether it runs in a container and what that container may reach, and what of this
// deserves a second look (a setting that loads other code, fetches packages elsewhere, or loosens the sandbox),
// and whether the release of a package it runs, and the image it runs in, are the ones approved.
import type { GatehouseConfig, ServerConfig } from '../../../src-shared/config/schema.js';
import { serverKind } from '../../../src-shared/config/schema.js';
import { dockerRunImage, imageRowOf, isDockerCommand, isolationFor, IsolationConfigError, looseningsOf, unpinnedImage } from '../isolation/index.js';
import { launchEnvEffect } from '../security/index.js';
import { unpinnedRelease } from './releases.js';

export interface Launch {
  /** Its environment, each value as written (placeholders as placeholders), secrets redacted. */
  env: { name: string; value: string }[];
  /** Its HTTP headers, likewise. */
  headers: { name: string; value: string }[];
  cwd?: string;
  /** Where it runs, in words: in a container (and what that may reach) or as a process of the user. */
  sandbox?: string;
  /** What deserves a second look before approving it. */
  concerns: string[];
  /** That it runs whatever release of a package is newest when installed, in words (see `unpinnedRelease`). */
  release?: string;
  /** That the image it runs in is named by a tag, in words (see `unpinnedImage`). */
  image?: string;
  /** The runtime whose row of the images table names that image, when it is the table's. */
  imageRuntime?: string;
}

export function launchOf(server: ServerConfig, config: GatehouseConfig, redact: (text: string) => string): Launch {
  const pairs = (record: Record<string, string> | undefined) => Object.entries(record ?? {}).map(([name, value]) => ({ name, value: redact(value) }));
  const concerns: string[] = [];
  for (const name of Object.keys(server.env ?? {})) {
    const effect = launchEnvEffect(name);
    if (effect) concerns.push(`Its environment sets ${name}, which ${effect}.`);
  }
  const launch: Launch = { env: pairs(server.env), headers: pairs(server.headers), concerns, ...(server.cwd ? { cwd: server.cwd } : {}) };
  if (serverKind(server) !== 'stdio') return launch;
  const release = unpinnedRelease(server.command!, server.args);
  if (release) launch.release = release;
  if (isDockerCommand(server.command!, server.args)) {
    launch.sandbox = 'Its command runs Docker itself: the container is the one its arguments describe.';
    for (const [flag, what] of dockerFlags(server.args ?? [])) concerns.push(`Its docker command (${flag}) ${what}.`);
    const run = dockerRunImage(server.args ?? []);
    const image = run && unpinnedImage(run.image);
    if (image) launch.image = image;
    return launch;
  }
  let isolation;
  try {
    isolation = isolationFor(server, config);
  } catch (err) {
    if (!(err instanceof IsolationConfigError)) throw err;
    launch.sandbox = `It cannot start: ${err.message}.`;
    return launch;
  }
  // What the entry itself gives up of the container (the person's settings for every server are their choice).
  const loosened = looseningsOf(server.isolation);
  if (!isolation) {
    launch.sandbox = 'Not in a container: it runs as a program of yours on this computer, with your access to files and the network.';
    if (config.isolation?.enabled && loosened.includes('off')) concerns.push('Its entry turns off the container your settings give every server.');
    return launch;
  }
  const mounts = isolation.mounts.map((m) => `${m.source} as ${m.target}${m.readOnly ? ' (read-only)' : ' (read-write)'}`);
  const network =
    isolation.network === 'bridge' ? 'with network access' : isolation.allowHosts.length ? `no network but ${isolation.allowHosts.join(', ')} (through Gatehouse's proxy)` : 'no network';
  launch.sandbox = `In a Docker container (${isolation.image}): ${network}, ${mounts.length ? `your ${mounts.join(', ')}` : 'none of your files'}.`;
  const image = unpinnedImage(isolation.image);
  if (image) launch.image = image;
  const row = image && imageRowOf(server, config);
  if (row) launch.imageRuntime = row;
  if (loosened.includes('network')) concerns.push('Its entry gives the container network access.');
  if (loosened.includes('egress')) concerns.push(`Its entry lets the container reach ${isolation.allowHosts.join(', ')}.`);
  if (loosened.includes('mounts')) for (const m of isolation.mounts) concerns.push(`Its entry gives the container your ${m.source}${m.readOnly ? ', to read' : ', to read and change'}.`);
  if (loosened.includes('no-docker')) concerns.push('Its entry lets it run without a container when Docker is not available.');
  return launch;
}

/** `docker run` options that open the container to this computer. */
function dockerFlags(args: string[]): [string, string][] {
  const found: [string, string][] = [];
  args.forEach((arg, i) => {
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    const value = inline ?? args[i + 1] ?? '';
    if (flag === '--privileged') found.push([arg, 'gives the container full access to this computer']);
    else if (['-v', '--volume', '--mount'].includes(flag)) found.push([`${flag} ${value}`, 'gives the container your files']);
    else if (['--network', '--net', '--pid', '--ipc', '--uts'].includes(flag) && value === 'host') found.push([`${flag} host`, "shares this computer's own namespace with the container"]);
    else if (flag === '--cap-add' || flag === '--device') found.push([`${flag} ${value}`, 'gives the container more of this computer']);
  });
  return found;
}
