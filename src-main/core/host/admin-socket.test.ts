import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listenAdminSocket } from './admin-socket.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function get(socketPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/api/status.get' }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(process.platform === 'win32')('the admin socket', () => {
  it('sits in a folder only its user may enter, even when the home is too deep for a socket path', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-socket-'));
    dirs.push(root);
    const state = path.join(root, 'a-home-folder-with-a-long-name'.repeat(4), 'state');
    mkdirSync(state, { recursive: true });
    const socket = await listenAdminSocket(state, (req, res) => res.end(`answered ${req.url}`));
    try {
      expect(socket.address.startsWith(state)).toBe(false);
      expect(statSync(path.dirname(socket.address)).mode & 0o777).toBe(0o700);
      expect(statSync(socket.address).mode & 0o777).toBe(0o600);
      expect(await get(socket.address)).toBe('answered /api/status.get');
    } finally {
      await socket.close();
    }
    expect(existsSync(path.dirname(socket.address))).toBe(false);
  });

  it('takes the place of what a Gatehouse that did not close left at its path', async () => {
    const state = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-socket-'));
    dirs.push(state);
    writeFileSync(path.join(state, 'admin.sock'), 'left behind');
    const socket = await listenAdminSocket(state, (_req, res) => res.end('answered'));
    try {
      expect(socket.address).toBe(path.join(state, 'admin.sock'));
      expect(await get(socket.address)).toBe('answered');
    } finally {
      await socket.close();
    }
  });

  it('finds a folder of its own when no socket can be made in the state folder', async () => {
    const state = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-socket-'));
    dirs.push(state);
    // A socket cannot take this path: a folder with something in it is there.
    mkdirSync(path.join(state, 'admin.sock', 'inside'), { recursive: true });
    const socket = await listenAdminSocket(state, (_req, res) => res.end('answered'));
    try {
      expect(socket.address.startsWith(state)).toBe(false);
      expect(statSync(path.dirname(socket.address)).mode & 0o777).toBe(0o700);
      expect(await get(socket.address)).toBe('answered');
    } finally {
      await socket.close();
    }
  });
});
