// Which core events the person is told of at once (a desktop notification, a line in `gatehouse serve`'s
// terminal), and which page of the window deals with it. One notice per cause:
// a server already announced as quarantined, or a sign-in already asked for, is not announced again until
// it has been dealt with.
import type { ApiEvent } from './api/index.js';
import { withCodePoints } from './hidden-characters.js';
import { stateLabel } from './sign-in.js';
import { ACTIVITY_LOG_CUT_TITLE, activityLogCut, givenUpIn, PROTECTIONS_GIVEN_UP_TITLE, protectionsGivenUp, TRUST_FILE_PROBLEM_TITLE, trustFileProblem } from './trust.js';

export interface Notice {
  title: string;
  body: string;
  /** The window's route a click opens. */
  page: string;
  /** Its cause, for a notice that goes out of date once the cause is dealt with (`onSettled` names it then). */
  key?: string;
}

export class NotificationRules {
  private readonly told = new Set<string>();

  /** `onSettled`: a cause told of was dealt with (a call answered or withdrawn, a server approved…). */
  constructor(private readonly onSettled: (key: string) => void = () => undefined) {}

  /** The notice an event deserves, or undefined. */
  onEvent(event: ApiEvent): Notice | undefined {
    switch (event.type) {
      case 'trust.changed': {
        const { server, trust, attention } = event.payload;
        const page = `/review/${encodeURIComponent(server)}`;
        if (trust === 'quarantined') return this.once(`quarantine:${server}`, { title: 'A new server waits for review', body: `"${server}" is quarantined until you approve it.`, page });
        this.settle(`quarantine:${server}`);
        if (trust === 'approved' && attention > 0) return this.once(`changed:${server}:${attention}`, { title: 'Something of a server waits for review', body: `${attention} of the tools, prompts and resources of "${server}" changed, appeared or were flagged by the scanner; held back until you review them.`, page });
        return undefined;
      }
      case 'approval.requested': {
        const { id, server, tool, client } = event.payload;
        return this.once(`approval:${id}`, { title: 'A call waits for your yes', body: `${server} › ${tool}${client ? `, asked by ${withCodePoints(client)}` : ''}`, page: '/approvals' });
      }
      case 'approval.resolved':
        this.settle(`approval:${event.payload.id}`);
        return undefined;
      case 'auth.changed': {
        const { server, state, reason } = event.payload;
        const title = stateLabel(event.payload);
        if (state !== 'required') {
          this.settle(`sign-in:${server}`);
          return undefined;
        }
        return this.once(`sign-in:${server}`, { title: title[0].toUpperCase() + title.slice(1), body: `"${server}" ${reason ? `cannot be used until you act: ${reason}` : 'needs you to sign in; its calls fail until you do.'}`, page: `/servers/${encodeURIComponent(server)}` });
      }
      case 'activity.recorded':
        // Each time: a change made outside Gatehouse is news however often it happens.
        if (trustFileProblem(event.payload)) return { title: TRUST_FILE_PROBLEM_TITLE, body: event.payload.error ?? '', page: '/activity' };
        if (activityLogCut(event.payload)) return { title: ACTIVITY_LOG_CUT_TITLE, body: event.payload.detail ?? '', page: '/activity' };
        return protectionsGivenUp(event.payload) ? { title: PROTECTIONS_GIVEN_UP_TITLE, body: givenUpIn(event.payload.detail), page: '/settings' } : undefined;
      default:
        return undefined;
    }
  }

  private once(key: string, notice: Notice): Notice | undefined {
    if (this.told.has(key)) return undefined;
    this.told.add(key);
    return { ...notice, key };
  }

  private settle(key: string): void {
    if (this.told.delete(key)) this.onSettled(key);
  }
}
