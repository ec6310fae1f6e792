// What a well-formed JSON-RPC 2.0 message from an MCP client looks like. Anything else is answered with an
// error at once, before it reaches the protocol layer (which could leave it unanswered).

export type RpcId = string | number;

/** Why a message is not a JSON-RPC message Gatehouse can answer; undefined when it is one. */
export function invalidMessage(m: unknown): string | undefined {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'each message must be a JSON object';
  const msg = m as Record<string, unknown>;
  if (msg.jsonrpc !== '2.0') return '"jsonrpc" must be "2.0"';
  if ('id' in msg && !isId(msg.id)) return '"id" must be a string or an integer';
  if ('method' in msg) {
    if (typeof msg.method !== 'string' || msg.method === '') return '"method" must be a non-empty string';
    if ('params' in msg && msg.params !== undefined && (typeof msg.params !== 'object' || msg.params === null || Array.isArray(msg.params))) {
      return '"params" must be an object';
    }
    return undefined;
  }
  if (!('id' in msg)) return 'a message needs a "method" (a request or notification) or an "id" (a response)';
  if (!('result' in msg) && !('error' in msg)) return 'a response needs a "result" or an "error"';
  return undefined;
}

/** Ids the protocol layer can answer under: strings and integers. */
export function isId(value: unknown): value is RpcId {
  return typeof value === 'string' || Number.isSafeInteger(value);
}

/** The id to answer an invalid message under: its own when it has a usable one, else null. */
export function idOf(m: unknown): RpcId | null {
  const id = typeof m === 'object' && m !== null ? (m as { id?: unknown }).id : undefined;
  return isId(id) ? id : null;
}

export function errorResponse(id: RpcId | null, code: number, message: string) {
  return { jsonrpc: '2.0' as const, id, error: { code, message } };
}
