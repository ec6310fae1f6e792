// The admin API client, handed down to every page. Pages read with `useApiQuery` (cached, refreshed by
// live events) and change things with `useApiAction` (errors shown to the person, with what to do).
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, type UseQueryOptions } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { ApiError, type ApiClient, type MethodInput, type MethodName, type MethodOutput } from '../../src-shared/api/index.js';

const ApiContext = createContext<ApiClient | undefined>(undefined);

export function ApiProvider({ api, children }: { api: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

export function useApiQuery<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
  options: Omit<UseQueryOptions<MethodOutput<M>, ApiError>, 'queryKey' | 'queryFn'> = {},
) {
  const api = useApi();
  return useQuery<MethodOutput<M>, ApiError>({ queryKey: [method, input], queryFn: () => api.call(method, input), ...options });
}

/** A message a person can act on, from whatever went wrong. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.problems.length ? `${err.message}` : err.message;
  return err instanceof Error ? err.message : String(err);
}

export function showError(title: string, err: unknown): void {
  notifications.show({ color: 'red', title, message: errorText(err), autoClose: 10_000 });
}

/** Runs one admin method on demand; a failure is shown unless the caller handles it. */
export function useApiAction<M extends MethodName>(method: M, options: { success?: (out: MethodOutput<M>) => string | undefined; quiet?: boolean } = {}) {
  const api = useApi();
  return useMutation<MethodOutput<M>, ApiError, MethodInput<M>>({
    mutationFn: (input) => api.call(method, input),
    onSuccess: (out) => {
      const message = options.success?.(out);
      if (message) notifications.show({ color: 'green', message, autoClose: 4000 });
    },
    onError: (err) => {
      if (!options.quiet) showError(`${method} failed`, err);
    },
  });
}
