import { describe, expect, it } from 'vitest';
import { isValidServerName, parseToolId, toolId } from './ids.js';

describe('server names and tool ids', () => {
  it('accepts letters, digits, - and _, and refuses __ and anything else', () => {
    for (const ok of ['github', 'my-server', 'fs_2', 'A']) expect(isValidServerName(ok)).toBe(true);
    for (const bad of ['', 'my__server', 'has space', 'dot.name', 'slash/name', 'x'.repeat(65)]) expect(isValidServerName(bad)).toBe(false);
  });

  it('splits an id at the first __, so tool names may contain __', () => {
    expect(parseToolId(toolId('fs', 'read_file'))).toEqual({ server: 'fs', tool: 'read_file' });
    expect(parseToolId('srv__tool__with__parts')).toEqual({ server: 'srv', tool: 'tool__with__parts' });
    expect(parseToolId('no-separator')).toBeUndefined();
    expect(parseToolId('__tool')).toBeUndefined();
    expect(parseToolId('server__')).toBeUndefined();
  });
});
