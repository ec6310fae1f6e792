// A whole-task query ("find the paper, read it, then save a summary to notes.md") names several steps,
// each needing its own tool. Search scores the whole query and each of its clauses.
const CLAUSE_BREAK = /[.;,?!:\n。；，？！：]+(?:\s+|$)|\s+(?:and|then)\s+/i;
const MAX_CLAUSES = 6;

/** The query itself, then its clauses of two words or more (none when it is a single clause). */
export function queryParts(query: string): string[] {
  const whole = query.trim();
  const clauses = whole
    .split(CLAUSE_BREAK)
    .map((c) => c.trim())
    .filter((c) => c.split(/\s+/).length >= 2);
  if (clauses.length < 2) return [whole];
  return [whole, ...clauses.slice(0, MAX_CLAUSES)];
}
