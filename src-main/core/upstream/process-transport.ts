// MCP over a child process's stdin/stdout (newline-delimited JSON-RPC).
// Our own instead of the SDK's StdioClientTransport because Gatehouse needs three things it does not
// give: the child in its own process group (so shutdown reaches grandchildren such as npx's node),
// an environment of only the server's own variables plus a safe base, and stderr as log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { readLines, readMessages, type LineBuffer } from './line-buffer.js';
import { safeBaseEnvironment } from './safe-env.js';

export interface ProcessSpec {
  command: string;
  args: string[];
  /** The server's own variables; merged over the safe base, never over the proxy's environment. */
  env: Record<string, string>;
  cwd?: string;
}

export interface ProcessTransportOptions {
  onStderrLine?: (line: string) => void;
  /** Called with the exit code or signal when the process ends. */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** How long a process may take to exit after SIGTERM before the group gets SIGKILL. */
  killGraceMs?: number;
  /** The largest message the server may send. */
  maxMessageBytes?: number;
}

/** Every live child, so a proxy that is told to stop can take them all down synchronously. */
const liveChildren = new Set<ChildProcess>();

export function killAllChildrenNow(): void {
  for (const child of liveChildren) killGroup(child, 'SIGKILL');
}

/** Signals what is left of a process group after its leader exited (grandchildren the server started). */
function sweepGroup(pid: number | undefined): void {
  if (pid === undefined || process.platform === 'win32') return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* the group is empty */
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readBuffer: LineBuffer | undefined;
  private closed = false;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly options: ProcessTransportOptions = {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.spec.command, this.spec.args, {
        env: { ...safeBaseEnvironment(), ...this.spec.env },
        cwd: this.spec.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
      this.child = child;
      liveChildren.add(child);

      child.once('error', (err) => {
        liveChildren.delete(child);
        const friendly = spawnErrorMessage(this.spec, err as NodeJS.ErrnoException);
        reject(friendly);
        this.onerror?.(friendly);
        this.finish();
      });
      child.once('spawn', () => resolve());
      child.once('exit', (code, signal) => {
        liveChildren.delete(child);
        sweepGroup(child.pid);
        this.options.onExit?.(code, signal);
        this.finish();
      });

      this.readBuffer = readMessages(child.stdout!, (m) => this.onmessage?.(m as JSONRPCMessage), (err) => this.onerror?.(err), this.options.maxMessageBytes);
      child.stdout!.on('error', (err) => this.onerror?.(err));
      child.stdin!.on('error', (err) => this.onerror?.(err));
      readLines(child.stderr!, (line) => this.options.onStderrLine?.(line));
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || stdin.destroyed) return reject(new Error('the server process is not running'));
      if (stdin.write(`${JSON.stringify(message)}\n`)) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Closes stdin, then SIGTERM to the group, then SIGKILL after the grace period. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return this.finish();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin?.end();
    killGroup(child, 'SIGTERM');
    const grace = this.options.killGraceMs ?? 2000;
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), grace);
    await exited;
    clearTimeout(timer);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.readBuffer?.clear();
    this.onclose?.();
  }
}

function spawnErrorMessage(spec: ProcessSpec, err: NodeJS.ErrnoException): Error {
  // spawn says ENOENT for a missing folder as for a missing command: tell them apart.
  if (err.code === 'ENOENT' && spec.cwd && !isFolder(spec.cwd)) return new Error(`its folder "${spec.cwd}" (cwd) does not exist: give a folder that does, as a full path`);
  if (err.code === 'ENOENT') {
    return new Error(
      `command "${spec.command}" was not found${spec.cwd ? ` (cwd ${spec.cwd})` : ''}: install it or give its full path in "command"`,
    );
  }
  if (err.code === 'EACCES') return new Error(`command "${spec.command}" is not executable: check its permissions`);
  return new Error(`could not start "${spec.command}": ${err.message}`);
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
