import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownClient } from './known.js';

const files = (id: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}) => knownClient(id)!.files({ home: '/h', platform, env });

describe('where each client keeps its servers', () => {
  it('follows each platform: Application Support on macOS, %APPDATA% on Windows, XDG on Linux', () => {
    expect(files('claude-desktop', 'darwin')).toEqual([path.join('/h', 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json')]);
    expect(files('claude-desktop', 'win32', { APPDATA: 'C:/Users/p/AppData/Roaming' })).toEqual([path.join('C:/Users/p/AppData/Roaming', 'Claude', 'claude_desktop_config.json')]);
    expect(files('claude-desktop', 'linux', { XDG_CONFIG_HOME: '/x' })).toEqual([path.join('/x', 'Claude', 'claude_desktop_config.json')]);
    expect(files('vscode', 'darwin')).toEqual([path.join('/h', 'Library', 'Application Support', 'Code', 'User', 'mcp.json')]);
    expect(files('zed', 'win32', { APPDATA: '/a' })).toEqual([path.join('/a', 'Zed', 'settings.json')]);
    expect(files('goose', 'win32', { APPDATA: '/a' })).toEqual([path.join('/a', 'Block', 'goose', 'config', 'config.yaml')]);
    expect(files('codex', 'linux', { CODEX_HOME: '/c' })).toEqual([path.join('/c', 'config.toml')]);
    expect(files('cursor', 'win32')).toEqual([path.join('/h', '.cursor', 'mcp.json')]);
    expect(files('vscode-workspace', 'linux')).toEqual([]);
  });

  it('reads each client’s own entry shapes', () => {
    expect(knownClient('zed')!.read({ command: { path: 'uvx', args: ['a'], env: { K: 'v' } } })).toEqual({ command: 'uvx', args: ['a'], env: { K: 'v' } });
    expect(knownClient('goose')!.read({ type: 'stdio', cmd: 'uvx', args: ['f'], envs: {}, enabled: true })).toEqual({ command: 'uvx', args: ['f'], env: {} });
    expect(knownClient('goose')!.read({ type: 'builtin', name: 'developer', enabled: true })).toBeUndefined();
    expect(knownClient('gemini')!.read({ httpUrl: 'https://x/mcp' })).toEqual({ url: 'https://x/mcp', type: 'http' });
    expect(knownClient('gemini')!.read({ url: 'https://x/sse' })).toEqual({ url: 'https://x/sse', type: 'sse' });
    expect(knownClient('windsurf')!.read({ serverUrl: 'https://x/mcp', headers: { A: 'b' } })).toEqual({ url: 'https://x/mcp', headers: { A: 'b' } });
  });
});
