// The core's side of search by meaning: starts the search worker, tells it each server's tools, asks it
// for the tools closest to a query, and says how far along it is. Until the worker is ready — or if the
// model cannot load on this machine — it answers nothing and search runs on keywords alone.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ToolDefinition } from '../../../../src-shared/catalog.js';
import { toolId } from '../../../../src-shared/ids.js';
import { findModelDir, MODEL, toolText } from './model.js';
import type { FromWorker, Nearest, ToolText, ToWorker, WorkerSetup } from './protocol.js';

function texts(server: string, tools: ToolDefinition[]): ToolText[] {
  return tools.map((t) => ({ id: toolId(server, t.name), text: toolText(t) }));
}

export interface SemanticOptions {
  /** Gatehouse's state folder: tool vectors are kept under it. */
  stateDir: string;
  /** The model's folder; found next to the program when not given. */
  modelDir?: string;
  /** The compiled worker script; the one next to this module when not given. */
  workerScript?: string | URL;
  /** Threads for the model (default 1, leaving the other cores to the proxy). */
  threads?: number;
  /** A query waits this long for the worker before keywords answer alone. */
  timeoutMs?: number;
}

export interface SemanticStatus {
  state: 'starting' | 'ready' | 'unavailable';
  model: string;
  /** Tools with a vector, of all tools the search knows. */
  embedded: number;
  total: number;
  loadMs?: number;
  reason?: string;
}

export class SemanticSearch {
  private worker: Worker | undefined;
  private current: SemanticStatus = { state: 'starting', model: MODEL.id, embedded: 0, total: 0 };
  private readonly asks = new Map<number, (answer: FromWorker | undefined) => void>();
  private nextAsk = 1;
  private readonly listeners = new Set<(status: SemanticStatus) => void>();
  /** Every server's tools, so a worker started later (or again) is told them all; texts are made when sent. */
  private readonly servers = new Map<string, ToolDefinition[]>();

  constructor(private readonly options: SemanticOptions) {}

  private turnedOff = false;
  /** Closed for good (the core is closing): nothing starts a worker again. */
  private shut = false;

  /** Starts the worker; the model loads there, in the background. */
  start(): void {
    if (this.shut) return;
    if (this.turnedOff) {
      this.turnedOff = false;
      this.update({ state: 'starting', reason: undefined, embedded: 0 });
    }
    if (this.worker || this.current.state === 'unavailable') return;
    const modelDir = this.options.modelDir ?? findModelDir();
    const script = this.options.workerScript ?? new URL('./search-worker.js', import.meta.url);
    const scriptPath = script instanceof URL ? fileURLToPath(script) : script;
    if (!modelDir) return this.fail(`the search model (resources/models/${MODEL.id}) is not installed with this copy of Gatehouse`);
    if (!existsSync(scriptPath)) return this.fail(`the search worker (${path.basename(scriptPath)}) is missing from this build`);
    const setup: WorkerSetup = {
      modelDir,
      cacheFile: path.join(this.options.stateDir, 'search', `${MODEL.id}.vectors`),
      threads: this.options.threads ?? 1,
    };
    const worker = (this.worker = new Worker(scriptPath, { workerData: setup }));
    worker.unref();
    worker.on('message', (m: FromWorker) => this.receive(m));
    worker.on('error', (err) => this.fail(`the search worker stopped: ${err.message}`));
    for (const [server, tools] of this.servers) this.post({ kind: 'set', server, tools: texts(server, tools) });
    worker.on('exit', (code) => {
      if (this.worker === worker && this.current.state !== 'unavailable') this.fail(`the search worker exited (code ${code})`);
    });
  }

  /** Whether a query can be answered by meaning now. */
  get ready(): boolean {
    return this.current.state === 'ready' && this.worker !== undefined;
  }

  status(): SemanticStatus {
    return { ...this.current };
  }

  onStatus(listener: (status: SemanticStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setServer(server: string, tools: ToolDefinition[]): void {
    this.servers.set(server, tools);
    if (this.worker) this.post({ kind: 'set', server, tools: texts(server, tools) });
  }

  removeServer(server: string): void {
    if (this.servers.delete(server)) this.post({ kind: 'remove', server });
  }

  /** The closest tools to each text, or undefined when search by meaning cannot answer (yet). */
  async nearest(texts: string[], limit: number): Promise<Nearest[] | undefined> {
    const answer = await this.ask((ask) => ({ kind: 'query', ask, texts, limit }), this.options.timeoutMs ?? 1000);
    return answer && 'nearest' in answer ? answer.nearest : undefined;
  }

  /** The model's unit vectors of these texts, or undefined when it is not running. */
  async embed(texts: string[]): Promise<Float32Array[] | undefined> {
    const answer = await this.ask((ask) => ({ kind: 'embed', ask, texts }), 5000 + texts.length * 200);
    return answer && 'vectors' in answer ? answer.vectors : undefined;
  }

  private ask(message: (ask: number) => ToWorker, timeoutMs: number): Promise<FromWorker | undefined> {
    if (!this.ready) return Promise.resolve(undefined);
    const ask = this.nextAsk++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(undefined), timeoutMs);
      const settle = (answer: FromWorker | undefined) => {
        clearTimeout(timer);
        this.asks.delete(ask);
        resolve(answer);
      };
      this.asks.set(ask, settle);
      this.post(message(ask));
    });
  }

  /** Stops search by meaning on a person's wish: the worker ends, and status says why. `start` resumes it. */
  async turnOff(reason: string): Promise<void> {
    this.turnedOff = true;
    this.update({ state: 'unavailable', reason });
    await this.stop();
  }

  /** Ends search by meaning for good: a `start` after this (a late config change) starts nothing. */
  async close(): Promise<void> {
    this.shut = true;
    await this.stop();
  }

  /** Asks the worker to release the model and end; ended from outside only if it has not within 10 s. */
  private async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    for (const settle of this.asks.values()) settle(undefined);
    if (!worker || worker.threadId < 0) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ kind: 'close' } satisfies ToWorker);
    // Held, not unref'd: the worker is, so without it a caller awaiting close() with nothing else to do
    // would see its process end before the worker had.
    const timer = setTimeout(() => void worker.terminate(), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private receive(m: FromWorker): void {
    if (m.kind === 'ready') this.update({ state: 'ready', loadMs: m.loadMs });
    else if (m.kind === 'failed') this.fail(m.reason);
    else if (m.kind === 'progress') this.update({ embedded: m.embedded, total: m.total });
    else this.asks.get(m.ask)?.(m);
  }

  private fail(reason: string): void {
    this.update({ state: 'unavailable', reason });
    void this.stop();
  }

  private update(change: Partial<SemanticStatus>): void {
    this.current = { ...this.current, ...change };
    for (const listener of this.listeners) listener(this.status());
  }
}
