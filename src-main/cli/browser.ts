// Opens an address in the person's browser: the command in $BROWSER when set (the usual convention,
// e.g. `BROWSER=firefox`), else the platform's own opener. Detached, so the browser outlives the command.
// Only web addresses (see isWebPage).
import { spawn } from 'node:child_process';
import { isWebPage } from '../../src-shared/web-page.js';

export function openInBrowser(address: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!isWebPage(address)) return false;
  const url = new URL(address).href;
  const custom = env.BROWSER?.trim().split(/\s+/).filter(Boolean);
  // Windows: no cmd.exe, which would read & and | in the address as commands of its own.
  const [command, args] = custom?.length
    ? [custom[0], [...custom.slice(1), url]]
    : process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
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
