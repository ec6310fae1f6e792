// Opens the core for a CLI command: the home from GATEHOUSE_HOME (or the OS default), logging to stderr.
import { NotificationRules } from '../../src-shared/notices.js';
import { Gatehouse, resolveHome, type FrameTracer } from '../core/index.js';
import { atLeast, type LogLevel } from './options.js';
import { note } from './output.js';

export interface CoreOptions {
  logLevel?: LogLevel;
  /** For the long-running commands: follow config.json edits and list new servers at once. */
  serving?: boolean;
  readOnly?: boolean;
  disableManagement?: boolean;
}

export async function openCore(options: CoreOptions = {}): Promise<Gatehouse> {
  const level = options.logLevel ?? 'warn';
  // Frames can carry secret values (a tool that echoes its environment): print them redacted.
  let redact = (text: string) => text;
  const trace: FrameTracer | undefined = atLeast(level, 'trace')
    ? (direction, message) => note(redact(`${direction === 'send' ? '→' : '←'} ${JSON.stringify(message)}`))
    : undefined;
  const core = await Gatehouse.open({
    home: resolveHome(),
    trace,
    watchConfig: options.serving,
    catalogueNewServers: options.serving,
    searchModel: options.serving,
    readOnly: options.readOnly,
    disableManagement: options.disableManagement,
  });
  redact = (text) => core.redact(text);
  for (const problem of core.problems) note(problem);
  core.on('status', (s) => {
    if (s.state === 'error' && atLeast(level, 'warn')) note(`[${s.name}] error: ${s.reason}`);
    else if (atLeast(level, 'info')) note(`[${s.name}] ${s.state}`);
  });
  core.on('log', (line) => {
    if (atLeast(level, 'debug')) note(`[${line.server}] ${line.text}`);
  });
  // An image pull can take minutes: show that something is happening (at most once a second).
  let lastPull = 0;
  core.on('image-pull', (p) => {
    const now = Date.now();
    if (now - lastPull < 1000 && !p.message.startsWith('pulled')) return;
    lastPull = now;
    const size = p.total ? ` ${(p.done / 1e6).toFixed(1)}/${(p.total / 1e6).toFixed(1)} MB` : '';
    note(`[image ${p.image}] ${p.message}${size}`);
  });
  // Headless, the terminal is where a person hears about a call waiting for them.
  core.approvals.on('requested', (r) => note(`[${r.server}] ${r.client ? `an agent (${r.client})` : 'an agent'} wants to call ${r.tool} with ${r.arguments}\n  allow: gatehouse approvals allow ${r.id}    deny: gatehouse approvals deny ${r.id}`));
  // …and that it no longer waits, when it ended without an answer: the commands above would find nothing.
  core.approvals.on('resolved', (r, answer) => {
    if (answer.by === 'timeout') note(`[${r.server}] no answer in time: the call to ${r.tool} (${r.id}) was not made`);
    if (answer.by === 'cancelled') note(`[${r.server}] the call to ${r.tool} (${r.id}) no longer waits: its client gave up on it, or the tool changed`);
  });
  // What the window and the desktop app tell a person at once (a server sent back to review, a trust file
  // changed outside Gatehouse, a guard turned off in config.json…), said here too: it may be all they run.
  core.activity.on('warning', (message) => note(message));
  if (options.serving) tellNotices(core);
  else {
    core.on('trust-file-changed', (message) => note(message));
    core.activity.on('cut', (message) => note(message));
  }
  core.on('config-invalid', (err) => note(`config.json was edited but is not valid; the running config stays.\n${err.message}`));
  core.on('config-changed', () => atLeast(level, 'info') && note('config.json changed: applied'));
  return core;
}

/** Says each notice on stderr; a call waiting for a yes is said above, with the commands that answer it. */
function tellNotices(core: Gatehouse): void {
  const rules = new NotificationRules();
  core.admin.subscribe({
    deliver: (event) => {
      const notice = event.type === 'approval.requested' ? undefined : rules.onEvent(event);
      if (notice) note(`${notice.title}: ${notice.body}`);
      return true;
    },
    close: () => undefined,
  });
}
