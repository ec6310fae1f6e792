// Turns the core's own events into admin API events.
import type { EventEmitter } from 'node:events';
import type { ApiEvent } from '../../../src-shared/api/index.js';
import type { ServerCatalog } from '../../../src-shared/catalog.js';
import type { SignInStatus } from '../../../src-shared/sign-in.js';
import type { ServerStatus } from '../../../src-shared/status.js';
import type { StoredRecord } from '../activity/index.js';
import type { ConfigError } from '../config/index.js';
import type { PullProgress } from '../isolation/index.js';
import type { SemanticStatus } from '../search/index.js';
import type { ApprovalAnswer, ApprovalRequest } from '../security/index.js';
import type { LogLine } from '../upstream/index.js';
import type { CoreEvents } from '../events.js';
import type { AdminCore } from './port.js';

export function wireEvents(core: AdminCore, publish: (event: ApiEvent) => void): () => void {
  const { events } = core;
  const onStatus = (status: ServerStatus) => publish({ type: 'server.status', payload: status });
  const onLog = (line: LogLine) => publish({ type: 'server.log', payload: line });
  const onCatalog = (server: string, catalog: ServerCatalog | undefined) =>
    publish({ type: 'catalog.changed', payload: { server, toolCount: catalog?.tools.length ?? 0, removed: !catalog } });
  const onConfig = () => publish({ type: 'config.changed', payload: { servers: Object.keys(core.config().mcpServers) } });
  const onInvalid = (err: ConfigError) => publish({ type: 'config.invalid', payload: { message: err.message, problems: err.problems } });
  const onPull = (p: PullProgress) =>
    publish({ type: 'progress', payload: { operation: 'image.pull', id: p.id, done: p.done, total: p.total, message: `${p.image}: ${p.message}` } });
  // Embedding reports every tool; subscribers hear of it at most twice a second, and always of the end.
  let lastSearch: { at: number; state: string } | undefined;
  const onSearch = (s: SemanticStatus) => {
    const now = Date.now();
    if (lastSearch && lastSearch.state === s.state && s.embedded < s.total && now - lastSearch.at < 500) return;
    lastSearch = { at: now, state: s.state };
    const message = s.state === 'unavailable' ? `search by meaning is unavailable: ${s.reason}` : `search model ${s.state}`;
    publish({ type: 'progress', payload: { operation: 'search.embedding', id: s.model, done: s.embedded, total: s.total, message } });
  };
  const onTrust = (server: string) => {
    if (!core.servers.config(server)) return;
    publish({ type: 'trust.changed', payload: { server, ...core.decisions.standing(server) } });
  };
  const onSignIn = (status: SignInStatus) => publish({ type: 'auth.changed', payload: status });
  const onRecorded = (records: StoredRecord[]) => records.forEach((r) => publish({ type: 'activity.recorded', payload: r }));
  const onRequested = (request: ApprovalRequest) => publish({ type: 'approval.requested', payload: request });
  const onResolved = (request: ApprovalRequest, answer: ApprovalAnswer) => publish({ type: 'approval.resolved', payload: { id: request.id, ...answer } });
  const listeners = [
    ['status', onStatus],
    ['log', onLog],
    ['catalog', onCatalog],
    ['config-changed', onConfig],
    ['config-invalid', onInvalid],
    ['image-pull', onPull],
    ['trust', onTrust],
    ['search', onSearch],
    ['sign-in', onSignIn],
  ] as [keyof CoreEvents, (...args: any[]) => void][];
  const emitter = events as unknown as EventEmitter;
  for (const [event, listener] of listeners) emitter.on(event, listener);
  core.approvals.on('requested', onRequested);
  core.approvals.on('resolved', onResolved);
  core.activity.on('recorded', onRecorded);
  return () => {
    core.activity.off('recorded', onRecorded);
    for (const [event, listener] of listeners) emitter.off(event, listener);
    core.approvals.off('requested', onRequested);
    core.approvals.off('resolved', onResolved);
  };
}
