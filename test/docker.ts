// The real Docker engine for the isolation tests. No registry is reachable here, so the test image is
// built locally: a tar of this machine's node binary, the libraries `ldd` lists, and a small MCP server,
// imported through the Engine API. Tests that need Docker skip on a machine without it, saying why, and
// fail in CI, where .ci/run starts dockerd.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import tar from 'tar-stream';
import { findEngine } from '../src-main/core/isolation/index.js';
import { ROOT } from './helpers.js';

export const SERVER_IN_IMAGE = '/app/plain-server.mjs';

export function docker(): Docker {
  return new Docker(findEngine().options);
}

export async function requireDocker(): Promise<boolean> {
  try {
    await docker().ping();
    return true;
  } catch (err) {
    const problem = `no Docker engine (${(err as Error).message})`;
    if (process.env.CI) throw new Error(`CI must provide Docker (see .ci/run): ${problem}`);
    process.stderr.write(`skipping Docker tests: ${problem}\n`);
    return false;
  }
}

function libraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...out.matchAll(/(\/[^\s]+) \(0x/g)].map((m) => m[1]);
}

/** Builds (once per content) an image with node and the test server; returns its name. */
export async function testImage(): Promise<string> {
  const node = process.execPath;
  const server = readFileSync(path.join(ROOT, 'test', 'fixtures', 'plain-server.mjs'));
  const libs = libraries(node);
  const tag = createHash('sha256').update(server).update(libs.join()).update(node).digest('hex').slice(0, 12);
  const name = `gatehouse-test-node:${tag}`;
  const d = docker();
  try {
    await d.getImage(name).inspect();
    return name;
  } catch {
    /* build it */
  }
  const pack = tar.pack();
  const add = (file: string, content: Buffer, mode = 0o755) => pack.entry({ name: file.replace(/^\//, ''), mode }, content);
  add('/usr/local/bin/node', readFileSync(realpathSync(node)));
  for (const lib of libs) add(lib, readFileSync(realpathSync(lib)));
  add(SERVER_IN_IMAGE, server, 0o644);
  pack.entry({ name: 'tmp/', type: 'directory', mode: 0o1777 });
  pack.entry({ name: 'etc/passwd', mode: 0o644 }, 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  pack.finalize();
  const [repo, version] = name.split(':');
  const stream = await d.importImage(pack as unknown as NodeJS.ReadableStream, { repo, tag: version, changes: ["ENV PATH=/usr/local/bin:/usr/bin:/bin"] } as object);
  await new Promise((resolve, reject) => d.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve(undefined))));
  return name;
}

/** Containers Gatehouse made for a home (by its label). */
export async function containersOf(homeLabel: string) {
  return docker().listContainers({ all: true, filters: { label: [`dev.gatehouse.home=${homeLabel}`] } });
}
