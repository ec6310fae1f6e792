// Turns what happens in the core into activity records: finished calls and reads (from the call pipeline), server
// state changes, trust changes, sign-ins, config changes, connections a container's proxy refused, and a
// person's changes through the admin API.
import type { EventEmitter } from 'node:events';
import type { GatehouseConfig } from '../../../src-shared/config/schema.js';
import type { SignInStatus } from '../../../src-shared/sign-in.js';
import type { ServerStatus } from '../../../src-shared/status.js';
import { GIVEN_UP } from '../../../src-shared/trust.js';
import type { CallRecord } from '../calls/index.js';
import { protectionsGivenUp } from '../config/index.js';
import type { CoreEvents } from '../events.js';
import type { EgressRefusal } from '../isolation/index.js';
import type { ActivityLog } from './log.js';
import type { Actor } from './types.js';

export interface ActivitySources {
  calls: { onRecorded(listener: (record: CallRecord) => void): () => void };
  events: EventEmitter<CoreEvents>;
  /** A server's standing after a trust change, in words. */
  trustOf(server: string): { trust: string; detail?: string; byAgent: boolean } | undefined;
  configuredServers(): string[];
  /** The config in force. */
  config(): GatehouseConfig;
}

const EGRESS_REPEAT_MS = 60_000;

function callActor(by: CallRecord['by']): Actor {
  if (by.kind === 'agent') return 'agent';
  return by.client === 'window' ? 'person:ui' : 'person:cli';
}

/** Starts recording; returns the function that stops. */
export function recordActivity(log: ActivityLog, sources: ActivitySources): () => void {
  const stopCalls = sources.calls.onRecorded((r) =>
    log.record({
      at: r.startedAt,
      kind: r.read ? 'read' : 'call',
      actor: callActor(r.by),
      client: r.by.client,
      session: r.by.session,
      server: r.server,
      tool: r.tool,
      status: r.status,
      durationMs: r.durationMs,
      rule: r.rule,
      approval: r.approval ? `${r.approval.allowed ? 'allowed' : 'denied'} by ${r.approval.by}` : undefined,
      arguments: r.arguments,
      result: r.result,
      error: r.error,
      detail: r.hidden,
    }),
  );
  // Only real changes of state: "ready" again after a listing is not news.
  const states = new Map<string, string>();
  const onStatus = (s: ServerStatus) => {
    if (states.get(s.name) === s.state) return;
    states.set(s.name, s.state);
    log.record({ at: Date.now(), kind: 'server', actor: 'gatehouse', server: s.name, status: s.state, detail: s.reason });
  };
  // Trust events also fire when only the count of items waiting changes: record the standing when it changes.
  const standings = new Map<string, string>();
  const onTrust = (server: string) => {
    const standing = sources.trustOf(server);
    if (!standing) return;
    const key = `${standing.trust}\u0000${standing.detail ?? ''}`;
    if (standings.get(server) === key) return;
    standings.set(server, key);
    log.record({ at: Date.now(), kind: 'trust', actor: standing.byAgent ? 'agent' : 'gatehouse', server, status: standing.trust, detail: standing.detail });
  };
  // Sign-ins: each change of state, and a sign-in that failed (statuses never carry a token).
  const signIns = new Map<string, string>();
  const onSignIn = (s: SignInStatus) => {
    const before = signIns.get(s.server);
    const key = `${s.state}\u0000${s.lastError ?? ''}`;
    signIns.set(s.server, key);
    if (before === key || s.state === 'signing-in') return;
    const failed = before?.startsWith('signing-in') && s.lastError !== undefined;
    const granted = [s.issuer && `issuer ${s.issuer}`, s.scopes?.length && `scopes ${s.scopes.join(' ')}`].filter(Boolean).join('; ');
    log.record({
      at: Date.now(),
      kind: 'signin',
      actor: 'gatehouse',
      server: s.server,
      status: failed ? 'failed' : s.state,
      detail: s.state === 'signed-in' ? granted || undefined : s.reason,
      error: failed ? s.lastError : undefined,
    });
  };
  // Each change against the one before: a setting that guards the person, turned off, is said; made
  // outside Gatehouse (by hand, or by a file-writing tool an agent uses), it is `weakened`, for a notice at
  // once. One the person made through the window or the CLI was asked of them first, and is kept with them.
  let applied = sources.config();
  const onConfig = (next: GatehouseConfig, own: boolean) => {
    const givenUp = protectionsGivenUp(applied, next);
    applied = next;
    const servers = `servers: ${sources.configuredServers().join(', ') || '(none)'}`;
    const detail = givenUp.length ? `${servers}; ${GIVEN_UP}${givenUp.join('; ')}` : servers;
    log.record({ at: Date.now(), kind: 'config', actor: 'gatehouse', status: givenUp.length && !own ? 'weakened' : 'applied', detail });
  };
  // A container refused a host: once a minute per server and host, so one that keeps trying cannot flood the log.
  const refused = new Map<string, number>();
  const onEgressRefused = (r: EgressRefusal) => {
    const key = `${r.server}\u0000${r.target}`;
    const now = Date.now();
    if (now - (refused.get(key) ?? -Infinity) < EGRESS_REPEAT_MS) return;
    refused.set(key, now);
    log.record({ at: now, kind: 'server', actor: 'gatehouse', server: r.server, status: 'egress-refused', detail: `${r.target}: ${r.why}` });
  };
  const onInvalid = (err: Error) => log.record({ at: Date.now(), kind: 'config', actor: 'gatehouse', status: 'invalid', error: err.message });
  sources.events.on('status', onStatus);
  sources.events.on('trust', onTrust);
  sources.events.on('config-changed', onConfig);
  sources.events.on('config-invalid', onInvalid);
  sources.events.on('sign-in', onSignIn);
  sources.events.on('egress-refused', onEgressRefused);
  return () => {
    sources.events.off('egress-refused', onEgressRefused);
    sources.events.off('sign-in', onSignIn);
    stopCalls();
    sources.events.off('status', onStatus);
    sources.events.off('trust', onTrust);
    sources.events.off('config-changed', onConfig);
    sources.events.off('config-invalid', onInvalid);
  };
}
