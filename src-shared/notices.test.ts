// Which events a person is told of at once, and how often.
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from './api/index.js';
import { NotificationRules } from './notices.js';

describe('notifications', () => {
  const trust = (server: string, t: 'approved' | 'quarantined' | 'blocked', attention = 0): ApiEvent => ({ type: 'trust.changed', payload: { server, trust: t, attention } });
  const auth = (server: string, state: 'required' | 'signed-in'): ApiEvent => ({ type: 'auth.changed', payload: { server, state } });

  it('tells of a server in quarantine, a changed tool, a waiting call and a sign-in, each opening its page', () => {
    const rules = new NotificationRules();
    expect(rules.onEvent(trust('weather', 'quarantined'))).toMatchObject({ page: '/review/weather' });
    expect(rules.onEvent(trust('fs', 'approved', 2))).toMatchObject({ title: 'Something of a server waits for review', body: '2 of the tools, prompts and resources of "fs" changed, appeared or were flagged by the scanner; held back until you review them.', page: '/review/fs' });
    expect(rules.onEvent({ type: 'approval.requested', payload: { id: 'a1', server: 'fs', tool: 'write_file', arguments: '{}', requestedAt: 0, expiresAt: 1 } } as ApiEvent)).toMatchObject({ page: '/approvals', body: 'fs › write_file' });
    // The client's own name is data: a direction override in it is shown, not obeyed.
    const asked = { type: 'approval.requested', payload: { id: 'a9', server: 'fs', tool: 'write_file', arguments: '{}', client: 'Claude Code 2.1 \u202Eevil', requestedAt: 0, expiresAt: 1 } } as ApiEvent;
    expect(rules.onEvent(asked)).toMatchObject({ body: 'fs › write_file, asked by Claude Code 2.1 <U+202E>evil' });
    expect(rules.onEvent(auth('github', 'required'))).toMatchObject({ title: 'Sign-in needed', page: '/servers/github' });
    // With the reason the server gave: a server that may want a key rather than a sign-in says so.
    const keyed = { type: 'auth.changed', payload: { server: 'keyed', state: 'required', wants: 'key-or-sign-in', reason: 'it refuses requests without credentials and publishes no OAuth metadata: if it offers no sign-in, it wants a key or token…' } } as ApiEvent;
    expect(rules.onEvent(keyed)).toMatchObject({ title: 'Key or sign-in needed', body: '"keyed" cannot be used until you act: it refuses requests without credentials and publishes no OAuth metadata: if it offers no sign-in, it wants a key or token…' });
    expect(rules.onEvent({ type: 'server.status', payload: { name: 'fs', state: 'ready', transport: 'stdio', toolCount: 1 } })).toBeUndefined();
    const recorded = (kind: string, actor: string, status: string, error?: string, detail?: string) => ({ type: 'activity.recorded', payload: { seq: 1, at: 0, kind, actor, status, error, detail, prevHash: '', hash: '' } }) as ApiEvent;
    expect(rules.onEvent(recorded('trust', 'gatehouse', 'invalid', 'trust.json was changed outside Gatehouse'))).toEqual({ title: "Gatehouse's trust file was changed outside it", body: 'trust.json was changed outside Gatehouse', page: '/activity' });
    expect(rules.onEvent(recorded('trust', 'person:ui', 'approved'))).toBeUndefined();
    expect(rules.onEvent(recorded('admin', 'gatehouse', 'cut', undefined, 'records 1–9 at the end of the activity log were deleted outside Gatehouse'))).toEqual({
      title: "Gatehouse's activity log was cut short outside it",
      body: 'records 1–9 at the end of the activity log were deleted outside Gatehouse',
      page: '/activity',
    });
    expect(rules.onEvent(recorded('config', 'gatehouse', 'invalid'))).toBeUndefined();
    expect(rules.onEvent(recorded('config', 'gatehouse', 'applied', undefined, 'servers: fs'))).toBeUndefined();
    const weakened = recorded('config', 'gatehouse', 'weakened', undefined, 'servers: fs; given up: hidden text is no longer taken out of what servers send back');
    expect(rules.onEvent(weakened)).toEqual({ title: 'A setting that guards you was turned off in config.json', body: 'Hidden text is no longer taken out of what servers send back.', page: '/settings' });
    // Each time, as a trust file changed outside Gatehouse is.
    expect(rules.onEvent(weakened)).toBeDefined();
  });

  it('tells of each cause once, and again only after it was dealt with', () => {
    const rules = new NotificationRules();
    expect(rules.onEvent(auth('github', 'required'))).toBeDefined();
    expect(rules.onEvent(auth('github', 'required'))).toBeUndefined();
    expect(rules.onEvent(trust('weather', 'quarantined'))).toBeDefined();
    expect(rules.onEvent(trust('weather', 'quarantined'))).toBeUndefined();
    rules.onEvent(auth('github', 'signed-in'));
    rules.onEvent(trust('weather', 'approved'));
    expect(rules.onEvent(auth('github', 'required'))).toBeDefined();
    expect(rules.onEvent(trust('weather', 'quarantined'))).toBeDefined();
  });

  it('names the notices that went out of date: a call answered or withdrawn, a server approved, a sign-in done', () => {
    const settled: string[] = [];
    const rules = new NotificationRules((key) => settled.push(key));
    const waiting = rules.onEvent({ type: 'approval.requested', payload: { id: 'a1', server: 'fs', tool: 'write_file', arguments: '{}', requestedAt: 0, expiresAt: 1 } } as ApiEvent);
    const quarantined = rules.onEvent(trust('weather', 'quarantined'));
    const signIn = rules.onEvent(auth('github', 'required'));
    rules.onEvent({ type: 'approval.resolved', payload: { id: 'a2', allowed: false, by: 'cancelled' } });
    expect(settled).toEqual([]);
    rules.onEvent({ type: 'approval.resolved', payload: { id: 'a1', allowed: false, by: 'cancelled' } });
    rules.onEvent(trust('weather', 'approved'));
    rules.onEvent(auth('github', 'signed-in'));
    expect(settled).toEqual([waiting?.key, quarantined?.key, signIn?.key]);
    // Each once: told of again only when the cause comes back.
    rules.onEvent(trust('weather', 'approved'));
    expect(settled).toHaveLength(3);
  });
});
