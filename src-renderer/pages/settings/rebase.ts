// A form's draft carried onto values that changed elsewhere while it was open (another window, the CLI, an
// edit of config.json): what the person edited stays, everything else shows the new value.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * `draft` was made from `base`; `next` is what is saved now. Objects are merged key by key (a key the draft
 * gave a value, or took one from, counts as edited like any other), the rest whole.
 */
export function rebased<T>(draft: T, base: T, next: T): T {
  if (isRecord(draft) && isRecord(base) && isRecord(next)) {
    const merged: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(next), ...Object.keys(draft)])) {
      const value = rebased(draft[key], base[key], next[key]);
      if (value !== undefined) merged[key] = value;
    }
    return merged as T;
  }
  return same(draft, base) ? next : draft;
}
