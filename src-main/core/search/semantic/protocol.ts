// Messages between the core and the search worker.

export interface WorkerSetup {
  modelDir: string;
  /** Where tool vectors are kept between runs. */
  cacheFile: string;
  threads: number;
}

export interface ToolText {
  id: string;
  text: string;
}

export type ToWorker =
  | { kind: 'set'; server: string; tools: ToolText[] }
  | { kind: 'remove'; server: string }
  | { kind: 'query'; ask: number; texts: string[]; limit: number }
  /** Just the texts' vectors (to compare definitions by meaning). */
  | { kind: 'embed'; ask: number; texts: string[] }
  /** Release the model and end the worker (a worker ended from outside mid-load brings the process down). */
  | { kind: 'close' };

/** A query's closest tools per text, best first, and the lowest similarity of any tool to it. */
export interface Nearest {
  ids: string[];
  scores: number[];
  floor: number;
}

export type FromWorker =
  | { kind: 'ready'; loadMs: number; dims: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'progress'; embedded: number; total: number }
  | { kind: 'answer'; ask: number; nearest: Nearest[] }
  | { kind: 'answer'; ask: number; vectors: Float32Array[] }
  | { kind: 'answer'; ask: number; error: string };
