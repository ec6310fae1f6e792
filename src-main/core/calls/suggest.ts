// "Did you mean …": the visible tool ids closest to one that does not exist, by edit distance on the id
// and on the tool name alone (agents often get the server prefix or a separator wrong).

function distance(a: string, b: string): number {
  if (a === b) return 0;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return row[b.length];
}

const normal = (s: string) => s.toLowerCase().replace(/[-_\s.]+/g, '_');

/** The tool part of an id (all of it when there is no `__`), normalised. */
const toolPart = (id: string) => normal(id.includes('__') ? id.slice(id.indexOf('__') + 2) : id);

export function closestIds(wanted: string, ids: Iterable<string>, limit = 3): string[] {
  const w = normal(wanted);
  const wTool = toolPart(wanted);
  const scored: { id: string; score: number }[] = [];
  for (const id of ids) {
    const n = normal(id);
    const tool = toolPart(id);
    const score = Math.min(distance(w, n) / Math.max(w.length, n.length), distance(wTool, tool) / Math.max(wTool.length, tool.length) + 0.05);
    if (score <= 0.5) scored.push({ id, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((s) => s.id);
}
