// Names and ids that both the core and the UI use.

/** A server name: letters, digits, `-` and `_`, never `__` (it separates server and tool in ids). */
export const SERVER_NAME_PATTERN = /^(?!.*__)[A-Za-z0-9_-]{1,64}$/;

export const SERVER_NAME_RULE =
  'a server name is 1-64 letters, digits, "-" or "_", and must not contain "__"';

export function isValidServerName(name: string): boolean {
  return SERVER_NAME_PATTERN.test(name);
}

/** The id an agent uses for a tool: `<server>__<tool>`. */
export function toolId(server: string, tool: string): string {
  return `${server}__${tool}`;
}

/** Splits `<server>__<tool>` at the first `__`; undefined when there is none. */
export function parseToolId(id: string): { server: string; tool: string } | undefined {
  const at = id.indexOf('__');
  if (at <= 0 || at + 2 >= id.length) return undefined;
  return { server: id.slice(0, at), tool: id.slice(at + 2) };
}

/** A tool's or prompt's name as words: "readFile" and "read_file" read "read File", "read file". */
export function nameInWords(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' ');
}
