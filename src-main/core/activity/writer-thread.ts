// The activity log's writer thread: a ChainWriter answering the log's messages one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { ChainWriter, type ActivityFiles } from './chain-writer.js';
import type { ToWriter } from './writer.js';

let writer: ChainWriter | undefined;
let openError: string | undefined;
try {
  writer = new ChainWriter(workerData as ActivityFiles);
} catch (err) {
  openError = (err as Error).message;
}

parentPort!.on('message', (m: ToWriter) => {
  const reply = (value: unknown) => parentPort!.postMessage({ id: m.id, ok: true, value });
  const fail = (err: unknown) => parentPort!.postMessage({ id: m.id, ok: false, message: err instanceof Error ? err.message : String(err) });
  if (m.type === 'close') {
    writer?.close();
    reply(undefined);
    return process.exit(0);
  }
  if (!writer) return fail(new Error(`the activity log cannot be opened (${openError})`));
  try {
    if (m.type === 'write') reply(writer.write(m.records));
    else if (m.type === 'prune') reply(writer.prune(m.retention));
    else reply(writer.verify());
  } catch (err) {
    fail(err);
  }
});
