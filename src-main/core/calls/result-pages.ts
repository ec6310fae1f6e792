// Long tool results are cut to a size an agent's context can take; the rest waits behind a handle that
// `read_result` pages through.
import { randomBytes } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/server';

const KEEP_RESULTS = 50;
const KEEP_MS = 30 * 60_000;

/** Where a cut result stands: its handle, how much was shown, how long it is. */
export interface Cut {
  handle: string;
  shown: number;
  total: number;
}

interface Stored {
  text: string;
  at: number;
}

export class ResultPages {
  private readonly results = new Map<string, Stored>();

  constructor(private readonly maxChars: () => number) {}

  /** Returns `result` as is when it fits in `max` characters; otherwise its text cut there with a handle for the rest. */
  fit(result: CallToolResult, max = this.maxChars()): { result: CallToolResult; cut?: Cut } {
    if (JSON.stringify(result).length <= max) return { result };
    const text = (result.content ?? [])
      .map((c) => (c.type === 'text' ? c.text : `[${c.type} content]`))
      .join('\n');
    const full = text.length > 0 ? text : JSON.stringify(result.structuredContent ?? {});
    if (full.length <= max) {
      return { result: { content: [{ type: 'text', text: full }], isError: result.isError } };
    }
    const handle = this.store(full);
    return {
      cut: { handle, shown: max, total: full.length },
      result: {
        content: [
          { type: 'text', text: full.slice(0, max) },
          { type: 'text', text: footer(handle, max, full.length) },
        ],
        isError: result.isError,
      },
    };
  }

  read(handle: string, offset = 0, length?: number): CallToolResult {
    this.expire();
    const stored = this.results.get(handle);
    if (!stored) {
      return { isError: true, content: [{ type: 'text', text: `No result with handle "${handle}": results are kept for 30 minutes (the ${KEEP_RESULTS} most recent).` }] };
    }
    const size = length ?? this.maxChars();
    const start = Math.max(0, Math.min(offset, stored.text.length));
    const end = Math.min(stored.text.length, start + size);
    const content: CallToolResult['content'] = [{ type: 'text', text: stored.text.slice(start, end) }];
    if (end < stored.text.length) content.push({ type: 'text', text: footer(handle, end, stored.text.length) });
    else content.push({ type: 'text', text: `[End of result: characters ${start}-${end} of ${stored.text.length}.]` });
    return { content };
  }

  private store(text: string): string {
    this.expire();
    const handle = `r_${randomBytes(6).toString('hex')}`;
    this.results.set(handle, { text, at: Date.now() });
    while (this.results.size > KEEP_RESULTS) this.results.delete(this.results.keys().next().value!);
    return handle;
  }

  private expire(): void {
    const now = Date.now();
    for (const [k, v] of this.results) if (now - v.at > KEEP_MS) this.results.delete(k);
  }
}

function footer(handle: string, shown: number, total: number): string {
  return `[Result cut at ${shown} of ${total} characters. For the next part call read_result with {"handle":"${handle}","offset":${shown}}.]`;
}
