// The real Docker engine for the isolation tests. No registry is reachable here, so the test image is
// built locally: a tar of this machine's node binary, the libraries `ldd` lists, and a small MCP server,
// imported through the Engine API. Tests that need Docker skip on a machine without it, saying why, and
// fail in CI, where .ci/run starts dockerd.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import tar from 'tar-stream';
import { findEngine } from '../src-main/core/isolation/index.js';
import { freePort, ROOT, waitFor } from './helpers.js';

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

/** Imports the files of `pack` as image `name` (repository:tag). */
async function importImage(name: string, pack: tar.Pack, changes: string[] = []): Promise<void> {
  pack.finalize();
  // The tag goes in `repo`: Podman ignores a separate `tag` on import.
  const stream = await docker().importImage(pack as unknown as NodeJS.ReadableStream, { repo: name, changes } as object);
  await followed(stream);
}

function followed(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) =>
    docker().modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (event: { error?: string }) => event.error && reject(new Error(event.error)),
    ),
  );
}

/** An image of one file and nothing to run: what a tag can be moved to. */
export async function emptyImage(name: string): Promise<void> {
  const pack = tar.pack();
  pack.entry({ name: 'moved.txt', mode: 0o644 }, `${name}\n`);
  await importImage(name, pack);
}

/** Pushes the local image `image` to `ref` in a registry. */
export async function pushImage(image: string, ref: string): Promise<void> {
  const at = ref.lastIndexOf(':');
  await docker().getImage(image).tag({ repo: ref.slice(0, at), tag: ref.slice(at + 1) });
  // The Engine API wants credentials even for a registry that asks none.
  await followed(await docker().getImage(ref).push({ authconfig: { serveraddress: ref.split('/')[0] } }));
}

/**
 * A real image registry (Debian's docker-registry, the CNCF distribution registry) on a loopback port,
 * which Docker reaches without TLS. Undefined, saying why, where it is not installed; CI installs it.
 */
export async function startRegistry(): Promise<{ address: string; stop: () => Promise<void> } | undefined> {
  try {
    execFileSync('docker-registry', ['--version'], { stdio: 'ignore' });
  } catch (err) {
    const problem = `no docker-registry (${(err as Error).message})`;
    if (process.env.CI) throw new Error(`CI must provide an image registry (see .ci/run): ${problem}`);
    process.stderr.write(`skipping the image registry's tests: ${problem}\n`);
    return undefined;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-registry-'));
  const address = `127.0.0.1:${await freePort()}`;
  writeFileSync(path.join(dir, 'config.yml'), `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: ${address}\nlog:\n  level: error\n`);
  const child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: 'ignore' });
  await waitFor(() => fetch(`http://${address}/v2/`).then((r) => r.ok).catch(() => false), 'the image registry to answer');
  return {
    address,
    // The images tagged for it go with it, so that tests leave nothing in the engine's image list.
    stop: async () => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
      // By name, not by id: an image pushed here keeps the names it had before (the cached test image).
      for (const image of await docker().listImages()) {
        for (const name of [...(image.RepoTags ?? []), ...(image.RepoDigests ?? [])]) {
          if (name.startsWith(`${address}/`)) await docker().getImage(name).remove().catch(() => undefined);
        }
      }
    },
  };
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
  await importImage(name, pack, ['ENV PATH=/usr/local/bin:/usr/bin:/bin']);
  return name;
}

/** Containers Gatehouse made for a home (by its label). */
export async function containersOf(homeLabel: string) {
  return docker().listContainers({ all: true, filters: { label: [`dev.gatehouse.home=${homeLabel}`] } });
}
