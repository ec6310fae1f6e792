// The capabilities AI clients have declared (sampling, elicitation, roots …), remembered across runs
// so upstream servers are started with them even before a client connects.
import type { ClientCapabilities } from '@modelcontextprotocol/client';
import { readJsonFile, writeFileAtomic } from '../state/index.js';

export class ClientCapabilityMemory {
  private known: ClientCapabilities = {};

  constructor(private readonly file?: string) {}

  async load(): Promise<void> {
    if (!this.file) return;
    this.known = (await readJsonFile<ClientCapabilities>(this.file).catch(() => undefined)) ?? {};
  }

  current(): ClientCapabilities {
    return this.known;
  }

  /** Adds what a client declared; returns true when something new was learned. */
  learn(caps: ClientCapabilities): boolean {
    const wanted = ['sampling', 'elicitation', 'roots'] as const;
    let changed = false;
    for (const key of wanted) {
      if (caps[key] && !this.known[key]) {
        this.known = { ...this.known, [key]: caps[key] };
        changed = true;
      }
    }
    if (changed && this.file) void writeFileAtomic(this.file, JSON.stringify(this.known)).catch(() => undefined);
    return changed;
  }
}
