// call_tool's input as agents actually send it. The schema advertises `id` and `arguments`, but agents
// used to other proxies send `name`, `tool`, `tool_name` or `tool_id` for the id, and `args`, `input`,
// `params` — or a JSON string — for the arguments, or the arguments flat beside the id.
const ID_KEYS = ['id', 'name', 'tool', 'tool_name', 'tool_id', 'toolName', 'toolId'];
const ARGUMENT_KEYS = ['arguments', 'args', 'input', 'params', 'parameters'];

export type CallToolInput = { ok: true; id: string; arguments: Record<string, unknown> } | { ok: false; error: string };

export function readCallToolInput(input: Record<string, unknown>): CallToolInput {
  const idKey = ID_KEYS.find((k) => Object.hasOwn(input, k) && typeof input[k] === 'string' && input[k] !== '');
  if (!idKey) return { ok: false, error: 'call_tool: "id" is required: the tool id search_tools returned, "<server>__<tool>".' };
  const argumentKey = ARGUMENT_KEYS.find((k) => Object.hasOwn(input, k) && input[k] !== undefined && input[k] !== null);
  let value: unknown;
  if (argumentKey) value = input[argumentKey];
  else {
    // No arguments key: whatever else was sent beside the id is taken as the arguments.
    const rest = Object.entries(input).filter(([k]) => k !== idKey && !ID_KEYS.includes(k) && !ARGUMENT_KEYS.includes(k));
    value = Object.fromEntries(rest);
  }
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { ok: false, error: `call_tool: "${argumentKey}" is a string that is not JSON; pass an object of the tool's arguments.` };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: `call_tool: "${argumentKey ?? 'arguments'}" must be an object of the tool's arguments.` };
  }
  return { ok: true, id: input[idKey] as string, arguments: value as Record<string, unknown> };
}
