// `gatehouse ui`: a fresh one-time sign-in address for the window of the running Gatehouse, opened in the
// default browser (or only printed).
import { withApi } from './api.js';
import { openInBrowser } from './browser.js';
import { CliError, print, printJson } from './output.js';

export async function openUi(options: { open: boolean; json?: boolean }): Promise<void> {
  await withApi({}, async (api, remote) => {
    if (!remote) throw new CliError('Gatehouse is not running: start it with `gatehouse serve`, then run `gatehouse ui`.');
    const { url } = await api.call('ui.login', {});
    if (options.json) return printJson({ url });
    const opened = options.open && openInBrowser(url);
    print(`${opened ? 'Opening' : 'Open'} the window: ${url}\n  (works once, for ten minutes)`);
  });
}
