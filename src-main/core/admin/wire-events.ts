// Turns the core's own events into admin API events.
import type { ApiEvent } from '../../../src-shared/api/index.js';
import type { ServerCatalog } from '../../../src-shared/catalog.js';
import type { ServerStatus } from '../../../src-shared/status.js';
import type { ConfigError } from '../config/index.js';
import type { Gatehouse } from '../gatehouse.js';
import type { ApprovalAnswer, ApprovalRequest } from '../security/index.js';
import type { LogLine } from '../upstream/index.js';

export function wireEvents(core: Gatehouse, publish: (event: ApiEvent) => void): () => void {
  const onStatus = (status: ServerStatus) => publish({ type: 'server.status', payload: status });
  const onLog = (line: LogLine) => publish({ type: 'server.log', payload: line });
  const onCatalog = (server: string, catalog: ServerCatalog | undefined) =>
    publish({ type: 'catalog.changed', payload: { server, toolCount: catalog?.tools.length ?? 0, removed: !catalog } });
  const onConfig = () => publish({ type: 'config.changed', payload: { servers: Object.keys(core.config.config.mcpServers) } });
  const onInvalid = (err: ConfigError) => publish({ type: 'config.invalid', payload: { message: err.message, problems: err.problems } });
  core.on('status', onStatus);
  core.on('log', onLog);
  core.catalog.on('change', onCatalog);
  core.on('config-changed', onConfig);
  core.on('config-invalid', onInvalid);
  const onPull = (p: { id: string; image: string; done: number; total: number; message: string }) =>
    publish({ type: 'progress', payload: { operation: 'image.pull', id: p.id, done: p.done, total: p.total, message: `${p.image}: ${p.message}` } });
  core.on('image-pull', onPull);
  const onTrust = (server: string) => {
    if (!core.config.config.mcpServers[server]) return;
    publish({ type: 'trust.changed', payload: { server, trust: core.trust.serverTrust(server), attention: core.trust.attention(server, core.catalog.get(server)) } });
  };
  const onRequested = (request: ApprovalRequest) => publish({ type: 'approval.requested', payload: request });
  const onResolved = (request: ApprovalRequest, answer: ApprovalAnswer) => publish({ type: 'approval.resolved', payload: { id: request.id, ...answer } });
  core.on('trust', onTrust);
  core.approvals.on('requested', onRequested);
  core.approvals.on('resolved', onResolved);
  return () => {
    core.off('trust', onTrust);
    core.approvals.off('requested', onRequested);
    core.approvals.off('resolved', onResolved);
    core.off('image-pull', onPull);
    core.off('status', onStatus);
    core.off('log', onLog);
    core.catalog.off('change', onCatalog);
    core.off('config-changed', onConfig);
    core.off('config-invalid', onInvalid);
  };
}
