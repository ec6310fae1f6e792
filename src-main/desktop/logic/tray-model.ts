// What the tray menu shows, built from the core's state as plain data: the shell turns it into Electron's
// menu. Kept apart so what a person sees in the tray is tested without a display.
import type { ServerStatus } from '../../../src-shared/status.js';
import { serverStateWords, type SignInStatus } from '../../../src-shared/sign-in.js';

export interface TrayState {
  servers: (ServerStatus & { trust: string; attention: number; wants?: SignInStatus['wants'] })[];
  endpoint?: string;
  paused: boolean;
  startAtLogin: boolean;
  approvalsWaiting: number;
}

export type TrayItem =
  | { kind: 'label'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; id: 'open' | 'review' | 'approvals' | 'copy-endpoint' | 'pause' | 'resume' | 'quit'; label: string; enabled?: boolean }
  | { kind: 'toggle'; id: 'start-at-login'; label: string; checked: boolean }
  | { kind: 'submenu'; label: string; items: TrayItem[] };

/** One line for the tooltip and the menu's head. */
export function overallStatus(s: TrayState): string {
  if (s.paused) return 'Gatehouse — paused';
  const failing = s.servers.filter((x) => x.state === 'error').length;
  const waiting = s.servers.filter((x) => x.state === 'needs-sign-in' || x.state === 'needs-secret').length;
  const ready = s.servers.filter((x) => x.state === 'ready').length;
  const parts = [`${s.servers.length} server${s.servers.length === 1 ? '' : 's'}`, ready ? `${ready} running` : '', failing ? `${failing} failing` : '', waiting ? `${waiting} waiting for you` : ''];
  return `Gatehouse — ${parts.filter(Boolean).join(', ')}`;
}

export function trayMenu(s: TrayState): TrayItem[] {
  const review = s.servers.reduce((n, x) => n + (x.trust === 'quarantined' ? 1 : 0) + x.attention, 0);
  const servers: TrayItem[] = s.servers.length
    ? s.servers.map((x) => ({ kind: 'label', label: `${x.name}: ${serverStateWords(x.state, x.wants)}${x.trust !== 'approved' ? ` (${x.trust})` : ''}` }))
    : [{ kind: 'label', label: 'No servers yet' }];
  return [
    { kind: 'label', label: overallStatus(s) },
    { kind: 'separator' },
    { kind: 'submenu', label: 'Servers', items: servers },
    { kind: 'action', id: 'review', label: review ? `Review (${review} waiting)` : 'Review', enabled: true },
    ...(s.approvalsWaiting ? [{ kind: 'action' as const, id: 'approvals' as const, label: `Approvals (${s.approvalsWaiting} waiting)` }] : []),
    { kind: 'action', id: 'copy-endpoint', label: 'Copy the endpoint', enabled: !!s.endpoint },
    s.paused ? { kind: 'action', id: 'resume', label: 'Resume all servers' } : { kind: 'action', id: 'pause', label: 'Pause all servers' },
    { kind: 'separator' },
    { kind: 'action', id: 'open', label: 'Open Gatehouse' },
    { kind: 'toggle', id: 'start-at-login', label: 'Start at login', checked: s.startAtLogin },
    { kind: 'action', id: 'quit', label: 'Quit Gatehouse' },
  ];
}
