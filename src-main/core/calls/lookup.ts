// Finds the tool a call means: `<server>__<tool>`, or a bare tool name when exactly one server has it.
// When there is none, says why in words an agent can act on (unavailable, a near miss, or the candidates).
import type { ToolDefinition } from '../../../src-shared/catalog.js';
import { parseToolId, toolId } from '../../../src-shared/ids.js';
import type { VisibleSet } from '../visibility/index.js';
import { closestIds } from './suggest.js';

export type Lookup =
  | { ok: true; server: string; tool: ToolDefinition }
  | { ok: false; error: string; server?: string; tool?: string; reason: 'unknown' | 'unavailable' | 'ambiguous' };

export function lookupTool(visibility: VisibleSet, id: string): Lookup {
  const parsed = parseToolId(id);
  const found = parsed ? visibility.find(id) : undefined;
  if (parsed && found) return { ok: true, ...found };
  if (!parsed && id) {
    // A bare name: fine when it is unique among the usable tools.
    const named = visibility.idsNamed(id);
    if (named.length === 1) return { ok: true, ...named[0] };
    if (named.length > 1) {
      const ids = named.map((n) => `"${toolId(n.server, n.tool.name)}"`).join(', ');
      return { ok: false, reason: 'ambiguous', tool: id, error: `"${id}" is a tool of several servers: ${ids}. Call it by one of these ids.` };
    }
  }
  const withheld = parsed ? visibility.unavailable(parsed.server, parsed.tool) : undefined;
  if (withheld) return { ok: false, reason: 'unavailable', server: parsed!.server, tool: parsed!.tool, error: withheld };
  const near = closestIds(id, visibility.allIds());
  const problem = !parsed
    ? `"${id}" is not a tool id: ids look like "<server>__<tool>".`
    : !visibility.isVisible(parsed.server)
      ? `No server "${parsed.server}" is available.`
      : `Server "${parsed.server}" has no tool "${parsed.tool}".`;
  const hint = near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(', ')}?` : ' Use search_tools to find tools.';
  return { ok: false, reason: 'unknown', server: parsed?.server, tool: parsed?.tool, error: problem + hint };
}
