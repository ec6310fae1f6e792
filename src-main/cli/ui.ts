// `gatehouse ui`: a fresh one-time sign-in address for the window of the running Gatehouse, opened in the
// default browser (or only printed).
import { spawn } from 'node:child_process';
import { withApi } from './api.js';
import { CliError, print, printJson } from './output.js';

/** The platform's own opener; detached, so the browser outlives this command. */
function openInBrowser(url: string): boolean {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

export async function openUi(options: { open: boolean; json?: boolean }): Promise<void> {
  await withApi({}, async (api, remote) => {
    if (!remote) throw new CliError('Gatehouse is not running: start it with `gatehouse serve`, then run `gatehouse ui`.');
    const { url } = await api.call('ui.login', {});
    if (options.json) return printJson({ url });
    const opened = options.open && openInBrowser(url);
    print(`${opened ? 'Opening' : 'Open'} the window: ${url}\n  (works once, for ten minutes)`);
  });
}
