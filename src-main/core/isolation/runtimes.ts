// Which image a stdio server runs in when its config names none: picked from the command, from a table
// the user can override (`isolation.images` in config.json).

export const DEFAULT_RUNTIME_IMAGES: Record<string, string> = {
  node: 'node:22-bookworm-slim',
  python: 'ghcr.io/astral-sh/uv:python3.12-bookworm-slim',
  deno: 'denoland/deno:latest',
  bun: 'oven/bun:latest',
};

const COMMAND_RUNTIMES: Record<string, string> = {
  node: 'node',
  npx: 'node',
  npm: 'node',
  pnpm: 'node',
  yarn: 'node',
  python: 'python',
  python3: 'python',
  uv: 'python',
  uvx: 'python',
  pip: 'python',
  pipx: 'python',
  deno: 'deno',
  bun: 'bun',
  bunx: 'bun',
};

export function runtimeOf(command: string): string | undefined {
  const base = command.split(/[\\/]/).pop()!.replace(/\.(exe|cmd)$/i, '');
  return COMMAND_RUNTIMES[base];
}

export function imageFor(command: string, table: Record<string, string> = {}): string | undefined {
  const runtime = runtimeOf(command);
  return runtime ? (table[runtime] ?? DEFAULT_RUNTIME_IMAGES[runtime]) : undefined;
}

/** A server that is itself `docker run …` is already isolated: it is not wrapped again. */
export function isDockerCommand(command: string, args: string[] = []): boolean {
  const base = command.split(/[\\/]/).pop()!.replace(/\.exe$/i, '');
  return (base === 'docker' || base === 'podman') && args.includes('run');
}
