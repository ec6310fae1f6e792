import { describe, expect, it } from 'vitest';
import { getIn, parseConfig } from './formats.js';

describe("reading a client's config file", () => {
  // A name in a client's file is data: "__proto__" is a server like any other, in every format.
  it.each([
    ['json', '{ "mcpServers": { "__proto__": { "command": "a" }, "b": { "command": "b" } } }', ['mcpServers']],
    ['yaml', 'mcpServers:\n  __proto__:\n    command: a\n  b:\n    command: b\n', ['mcpServers']],
    ['toml', '[mcp_servers.__proto__]\ncommand = "a"\n[mcp_servers.b]\ncommand = "b"\n', ['mcp_servers']],
  ] as const)('keeps a server named __proto__ as an entry (%s)', async (format, text, key) => {
    const servers = getIn(await parseConfig(format, text, `config.${format}`), [...key]) as Record<string, unknown>;
    expect(Object.keys(servers)).toEqual(['__proto__', 'b']);
    expect(Object.entries(servers)[0][1]).toEqual({ command: 'a' });
    expect((servers as { command?: unknown }).command).toBeUndefined();
  });
});
