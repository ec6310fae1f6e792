// Exponential backoff for restarting a server that keeps failing: 1 s, 2 s, 4 s … capped at 60 s.
export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 60_000;

export function backoffDelay(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (failures - 1));
}
