// Opens an address in the person's browser: the command in $BROWSER when set (the usual convention,
// e.g. `BROWSER=firefox`), else the platform's own opener. Detached, so the browser outlives the command.
import { spawn } from 'node:child_process';

export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const custom = env.BROWSER?.trim().split(/\s+/).filter(Boolean);
  const [command, args] = custom?.length
    ? [custom[0], [...custom.slice(1), url]]
    : process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
