// The admin API's local door: a Unix domain socket in state/ (0600) or, on Windows, a named pipe of a
// random name. No token guards it, so none is written to disk: a process reaches it only by opening the
// socket as this user. A web page cannot, and neither can an agent's tool that reads files and sends HTTP
// requests, which could read any token Gatehouse kept in a file and approve servers with it.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DIR_MODE, ensurePrivateDir, FILE_MODE } from '../state/index.js';

/** A Unix socket's path must fit in sockaddr_un (104 bytes on macOS, 108 on Linux, the terminator included). */
const MAX_SOCKET_PATH_BYTES = 100;

export interface AdminSocket {
  /** What a client connects to: the socket's path or the pipe's name. */
  readonly address: string;
  close(): Promise<void>;
}

export async function listenAdminSocket(stateDir: string, handle: (req: IncomingMessage, res: ServerResponse) => void, platform: NodeJS.Platform = process.platform): Promise<AdminSocket> {
  const server: HttpServer = createServer(handle);
  const listen = (address: string) =>
    new Promise<void>((resolve, reject) => {
      const failed = (err: Error) => reject(err);
      server.once('error', failed);
      server.listen(address, () => {
        server.off('error', failed);
        resolve();
      });
    });
  const serving = (address: string, ownDir?: string): AdminSocket => ({
    address,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownDir) await fs.rm(ownDir, { recursive: true, force: true });
    },
  });
  if (platform === 'win32') {
    // A pipe's name is global: a random one cannot be taken first by another program, and libuv refuses
    // to open a name that already exists.
    const address = `\\\\.\\pipe\\gatehouse-admin-${randomBytes(16).toString('hex')}`;
    await listen(address);
    return serving(address);
  }
  // Inside a folder only this user may enter, so the moment before the socket's own mode is set exposes nothing.
  await ensurePrivateDir(stateDir);
  const inState = path.join(stateDir, 'admin.sock');
  if (Buffer.byteLength(inState) <= MAX_SOCKET_PATH_BYTES) {
    try {
      // Left by a Gatehouse that did not close; the caller has made sure none is running for this home.
      await fs.rm(inState, { force: true });
      await listen(inState);
      await fs.chmod(inState, FILE_MODE);
      return serving(inState);
    } catch {
      // A home on a file system without sockets (a network share, a Windows drive under WSL): a folder of its own below.
    }
  }
  const ownDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gatehouse-'));
  await fs.chmod(ownDir, DIR_MODE);
  const address = path.join(ownDir, 'admin.sock');
  try {
    await listen(address);
    await fs.chmod(address, FILE_MODE);
  } catch (err) {
    await fs.rm(ownDir, { recursive: true, force: true });
    throw err;
  }
  return serving(address, ownDir);
}
