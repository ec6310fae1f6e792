// One subscription to the admin event stream for the whole window. Each event marks the cached answers
// it makes stale, so every page shows a change made anywhere (the CLI, an agent, another window) without
// a reload. Log lines go to whoever is tailing that server's log. A dropped stream is retried.
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiEvent, EventPayload, MethodName } from '../../src-shared/api/index.js';
import { ACTIVITY_LOG_CUT_TITLE, activityLogCut, givenUpIn, PROTECTIONS_GIVEN_UP_TITLE, protectionsGivenUp, TRUST_FILE_PROBLEM_TITLE, trustFileProblem } from '../../src-shared/trust.js';
import { useApi } from './context.js';

type LogListener = (line: EventPayload<'server.log'>) => void;
type EventListener = (event: ApiEvent) => void;

interface Live {
  connected: boolean;
  onLog(listener: LogListener): () => void;
  onEvent(listener: EventListener): () => void;
}

const LiveContext = createContext<Live>({ connected: false, onLog: () => () => undefined, onEvent: () => () => undefined });

// A review on screen is never swapped under the person's eyes: its page checks for changes itself.
const SERVERS: MethodName[] = ['status.get', 'servers.list', 'servers.get', 'tools.list', 'tools.search', 'tools.get', 'secrets.list', 'vault.status'];

const STALE: { [E in ApiEvent['type']]?: MethodName[] } = {
  'server.status': ['status.get', 'servers.list', 'servers.get', 'vault.status'],
  'auth.changed': ['auth.status'],
  'clients.changed': ['clients.list'],
  'catalog.changed': SERVERS,
  // Who runs in each image, and whom pinning it would send back to review.
  'trust.changed': [...SERVERS, 'settings.images'],
  // A server added, removed or given its own Authorization header changes who signs in.
  'config.changed': [...SERVERS, 'settings.get', 'settings.images', 'config.get', 'policy.get', 'auth.status'],
  'approval.requested': ['approvals.list'],
  'approval.resolved': ['approvals.list'],
  'activity.recorded': ['activity.stats'],
};

export function LiveEvents({ children }: { children: ReactNode }) {
  const api = useApi();
  const queries = useQueryClient();
  const [connected, setConnected] = useState(false);
  const logListeners = useRef(new Set<LogListener>());
  const eventListeners = useRef(new Set<EventListener>());

  useEffect(() => {
    let stop: (() => void) | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const progress = new Map<string, string>();
    const connect = () => {
      stop = api.subscribe(
        (event) => {
          setConnected(true);
          eventListeners.current.forEach((l) => l(event));
          if (event.type === 'server.log') return logListeners.current.forEach((l) => l(event.payload));
          for (const method of STALE[event.type] ?? []) void queries.invalidateQueries({ queryKey: [method] });
          if (event.type === 'config.invalid') {
            notifications.show({ color: 'orange', title: 'config.json has a mistake; the running config stays', message: event.payload.problems.join('; ') || event.payload.message, autoClose: false });
          }
          if (event.type === 'activity.recorded' && trustFileProblem(event.payload)) {
            notifications.show({ color: 'red', title: TRUST_FILE_PROBLEM_TITLE, message: event.payload.error, autoClose: false });
          }
          if (event.type === 'activity.recorded' && activityLogCut(event.payload)) {
            notifications.show({ color: 'red', title: ACTIVITY_LOG_CUT_TITLE, message: event.payload.detail, autoClose: false });
          }
          if (event.type === 'activity.recorded' && protectionsGivenUp(event.payload)) {
            notifications.show({ color: 'orange', title: PROTECTIONS_GIVEN_UP_TITLE, message: givenUpIn(event.payload.detail), autoClose: false });
          }
          if (event.type === 'progress') {
            const { id, done, total, operation, message } = event.payload;
            const text = `${operation}: ${done} of ${total}${message ? ` (${message})` : ''}`;
            if (!progress.has(id)) {
              progress.set(id, id);
              notifications.show({ id, loading: true, title: 'Working', message: text, autoClose: false, withCloseButton: false });
            } else notifications.update({ id, message: text, loading: done < total, autoClose: done < total ? false : 2000 });
          }
        },
        () => {
          setConnected(false);
          if (!closed) retry = setTimeout(connect, 2000);
        },
      );
      // The stream says nothing until something happens: count a quiet open stream as connected.
      setTimeout(() => !closed && setConnected(true), 300);
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(retry);
      stop?.();
    };
  }, [api, queries]);

  const live: Live = {
    connected,
    onLog: (listener) => {
      logListeners.current.add(listener);
      return () => logListeners.current.delete(listener);
    },
    onEvent: (listener) => {
      eventListeners.current.add(listener);
      return () => eventListeners.current.delete(listener);
    },
  };
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  return useContext(LiveContext);
}
