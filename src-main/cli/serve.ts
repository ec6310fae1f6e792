// `gatehouse serve` and `gatehouse stdio`: the core, headless, until told to stop.
import { DEFAULT_PORT } from '../../src-shared/config/schema.js';
import { homePaths, killAllChildrenNow, readInstance, RelayRefused, relayStdio, resolveHome, type Gatehouse } from '../core/index.js';
import { openCore, type CoreOptions } from './open-core.js';
import { atLeast, type LogLevel } from './options.js';
import { CliError, note, print } from './output.js';
import { counted } from '../../src-shared/counted.js';

/** Stops cleanly on the first SIGINT/SIGTERM (servers and their process groups); at once on the second. */
function stopOnSignals(core: Gatehouse): void {
  let stopping = false;
  const stop = () => {
    if (stopping) {
      killAllChildrenNow();
      process.exit(130);
    }
    stopping = true;
    const force = setTimeout(() => {
      killAllChildrenNow();
      process.exit(1);
    }, 5000);
    force.unref();
    void core.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  process.on('exit', () => killAllChildrenNow());
}

type ServeOptions = { logLevel: LogLevel } & Pick<CoreOptions, 'readOnly' | 'disableManagement'>;

export async function serve(options: ServeOptions & { port?: number }): Promise<void> {
  const core = await openCore({ ...options, serving: true });
  stopOnSignals(core);
  const port = options.port ?? core.config().port ?? DEFAULT_PORT;
  const { url, token } = await core.listen(port);
  const { servers } = (await core.admin.call('status.get', {})) as { servers: { name: string; trust: string }[] };
  const quarantined = servers.filter((s) => s.trust === 'quarantined').map((s) => s.name);
  print(
    [
      `Gatehouse is running: ${url}`,
      `  ${counted(servers.length, 'server')} configured in ${core.paths.config}`,
      ...(quarantined.length ? [`  Quarantined, awaiting your approval: ${quarantined.join(', ')} (gatehouse servers review <name>, then approve)`] : []),
      `  Bearer token: ${token}`,
      '',
      `Open the window: ${core.uiLoginUrl()}`,
      '  (the address works once, for ten minutes; `gatehouse ui` makes a new one)',
      '',
      'Connect a client:',
      `  Claude Code:  claude mcp add --transport http gatehouse ${url} --header "Authorization: Bearer ${token}"`,
      `  JSON config:  { "mcpServers": { "gatehouse": { "type": "http", "url": "${url}", "headers": { "Authorization": "Bearer ${token}" } } } }`,
      `  stdio only:   ${JSON.stringify({ mcpServers: { gatehouse: core.stdioBridge } })}`,
      `  SSE only:     ${url}/sse (the HTTP+SSE transport of 2024-11-05), with the same header`,
      '',
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );
}

export async function stdio(options: ServeOptions & { server?: string }): Promise<void> {
  const instanceFile = homePaths(resolveHome()).instance;
  // Beside a running Gatehouse, its endpoint serves this client; --read-only and --disable-management
  // shape this process's gateway alone, so with them it serves on its own.
  if (!options.readOnly && !options.disableManagement) {
    const relay = await relayStdio({ instanceFile, only: options.server, input: process.stdin, output: process.stdout, log: note }).catch((err: unknown) => {
      throw err instanceof RelayRefused ? new CliError(err.message) : err;
    });
    if (relay) {
      if (atLeast(options.logLevel, 'info')) note(`Relaying to the Gatehouse running for this home: ${relay.url}`);
      // Frames are printed where secrets can be taken out of them: by the running one, run with trace.
      if (options.logLevel === 'trace') note('Frames are traced by the running Gatehouse: start it with --log-level trace to see them.');
      process.once('SIGINT', () => void relay.close());
      process.once('SIGTERM', () => void relay.close());
      await relay.closed;
      process.exit(0);
    }
  }
  const core = await openCore({ ...options, serving: true });
  stopOnSignals(core);
  const unavailable = options.server === undefined ? undefined : core.gateway.unavailableServer(options.server);
  if (unavailable) {
    await core.close();
    throw new CliError(unavailable);
  }
  // Alone for its home, it also answers the admin API on a free loopback port, so that `gatehouse
  // approvals allow` and `servers approve` reach this very process (and take effect at once).
  if (!readInstance(instanceFile)) await core.listen(0, { stdio: true }).catch(() => undefined);
  await core.serveStdio(options.server);
  await core.close();
  process.exit(0);
}
