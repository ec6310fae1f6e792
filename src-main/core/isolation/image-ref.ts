// Image references as Docker reads them, and the one thing Gatehouse does with them: tell a tag, which its
// publisher can point at another image whenever they like, from a digest, which names one image for good.

export interface ImageRef {
  /** The repository, with its registry when one is named (`node`, `ghcr.io/astral-sh/uv`, `127.0.0.1:5000/x`). */
  repository: string;
  tag?: string;
  /** `sha256:…` when the reference names one. */
  digest?: string;
}

export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const named = at < 0 ? ref : ref.slice(0, at);
  const digest = at < 0 ? undefined : ref.slice(at + 1);
  // A colon after the last slash starts the tag; one before it is a registry's port.
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  return {
    repository: hasTag ? named.slice(0, colon) : named,
    ...(hasTag ? { tag: named.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** The repository as Docker shows it in `RepoDigests`: Docker Hub's own prefixes left out. */
export function familiarRepository(repository: string): string {
  return repository.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
}

/**
 * The reference with `digest` named, its tag kept for the person reading it (`node:22@sha256:…`; Docker
 * runs the digest and reads the tag as a note).
 */
export function pinnedImageRef(ref: string, digest: string): string {
  const { repository, tag } = parseImageRef(ref);
  return `${repository}:${tag ?? 'latest'}@${digest}`;
}

/** A digest as `RepoDigests` lists it for `ref`'s repository, or undefined when none is. */
export function digestFor(ref: string, repoDigests: string[]): string | undefined {
  const wanted = familiarRepository(parseImageRef(ref).repository);
  for (const entry of repoDigests) {
    const { repository, digest } = parseImageRef(entry);
    if (digest && familiarRepository(repository) === wanted) return digest;
  }
  return undefined;
}

// `docker run` options that take no value; every other option takes the next argument unless given as
// `--opt=value`. Single letters may be grouped (`-it`).
const DOCKER_RUN_SWITCHES = new Set([
  '--detach', '--interactive', '--tty', '--rm', '--privileged', '--init', '--publish-all', '--read-only',
  '--sig-proxy', '--no-healthcheck', '--oom-kill-disable', '--quiet', '--help', '--disable-content-trust', '--use-api-socket',
]);
const DOCKER_RUN_SHORT_SWITCHES = /^-[ditPq]+$/;

/** The image a `docker run …` (or `docker container run …`) command line names, and where it sits. */
export function dockerRunImage(args: string[]): { index: number; image: string } | undefined {
  const run = args.indexOf('run');
  if (run < 0) return undefined;
  for (let i = run + 1; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return i + 1 < args.length ? { index: i + 1, image: args[i + 1]! } : undefined;
    if (!arg.startsWith('-') || arg === '-') return { index: i, image: arg };
    if (arg.includes('=') || DOCKER_RUN_SWITCHES.has(arg) || DOCKER_RUN_SHORT_SWITCHES.test(arg)) continue;
    i++; // its value
  }
  return undefined;
}

/**
 * That an image is named by a tag, in words for the person approving the server; undefined when it is
 * named by digest.
 */
export function unpinnedImage(ref: string): string | undefined {
  if (parseImageRef(ref).digest) return undefined;
  return `It runs the image ${ref}, named by a tag its publisher can point at another image at any time: the next pull would run an image you did not review. Pin the image the tag names now to keep it.`;
}
