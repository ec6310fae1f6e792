// What a 2026-07-28 client's `subscriptions/listen` request asks to hear of resources: the servers of those
// resources are subscribed upstream while the stream is open (the SDK's listen router sees the filter, but
// never asks the server for it).

/** The resource URIs a `subscriptions/listen` request asks to hear updates of (at most 100). */
export function listenedResources(message: unknown): string[] {
  const request = message as { method?: unknown; params?: { notifications?: { resourceSubscriptions?: unknown } } } | null;
  const uris = request?.method === 'subscriptions/listen' ? request.params?.notifications?.resourceSubscriptions : undefined;
  return Array.isArray(uris) ? uris.filter((u): u is string => typeof u === 'string').slice(0, 100) : [];
}
