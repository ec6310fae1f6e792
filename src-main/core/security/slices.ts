// Scanning a listing of thousands of definitions takes seconds: it runs a few milliseconds at a time, so
// every other server's calls go on meanwhile.

/** How long scanning may hold the event loop before it gives way to other work. */
const SLICE_MS = 10;

/**
 * Each piece of work in turn, giving way to other work every few milliseconds; their results in order.
 * `wanted`, asked each time it gives way: once it says no, the rest is left undone.
 */
export async function inSlices<T>(work: readonly (() => T)[], wanted: () => boolean = () => true): Promise<T[]> {
  const out: T[] = [];
  let since = performance.now();
  for (const piece of work) {
    out.push(piece());
    if (performance.now() - since > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!wanted()) break;
      since = performance.now();
    }
  }
  return out;
}
