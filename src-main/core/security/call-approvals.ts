// Calls waiting for a person's yes or no ("ask" policy, when the client cannot ask through MCP
// elicitation): listed in the admin API (the UI, a desktop notification, the CLI) until answered.
// No answer in time is a no.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

export interface ApprovalRequest {
  id: string;
  server: string;
  tool: string;
  /** The arguments as JSON, secrets redacted, cut when long. */
  arguments: string;
  /** The client that made the call, when known. */
  client?: string;
  requestedAt: number;
  expiresAt: number;
}

export type ApprovalAnswer = { allowed: boolean; by: 'person' | 'timeout' | 'client' | 'cancelled' };

interface Pending {
  request: ApprovalRequest;
  settle: (answer: ApprovalAnswer) => void;
}

export class CallApprovals extends EventEmitter<{ requested: [ApprovalRequest]; resolved: [ApprovalRequest, ApprovalAnswer] }> {
  private readonly pending = new Map<string, Pending>();

  /** Waits for a person's answer, at most `timeoutMs`; an aborted call withdraws its request. */
  ask(call: { server: string; tool: string; arguments: string; client?: string }, timeoutMs: number, signal?: AbortSignal): Promise<ApprovalAnswer> {
    const now = Date.now();
    const request: ApprovalRequest = { id: randomUUID(), ...call, requestedAt: now, expiresAt: now + timeoutMs };
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle({ allowed: false, by: 'timeout' }), timeoutMs);
      const onAbort = () => settle({ allowed: false, by: 'cancelled' });
      const settle = (answer: ApprovalAnswer) => {
        if (!this.pending.delete(request.id)) return;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.emit('resolved', request, answer);
        resolve(answer);
      };
      this.pending.set(request.id, { request, settle });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.emit('requested', request);
    });
  }

  list(): ApprovalRequest[] {
    return [...this.pending.values()].map((p) => p.request);
  }

  /** A person's answer. False when no such request is waiting (answered, expired or withdrawn). */
  answer(id: string, allowed: boolean): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    p.settle({ allowed, by: 'person' });
    return true;
  }

  /** Withdraws the waiting requests `stillAsked` rejects (their tool was blocked, held back or removed meanwhile). */
  withdraw(stillAsked: (request: ApprovalRequest) => boolean): void {
    for (const p of [...this.pending.values()]) if (!stillAsked(p.request)) p.settle({ allowed: false, by: 'cancelled' });
  }

  /** Answers every waiting request no (Gatehouse is closing). */
  close(): void {
    for (const p of [...this.pending.values()]) p.settle({ allowed: false, by: 'cancelled' });
  }
}
