// The bundled sentence model: where its files are and what text of a tool it reads.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToolDefinition } from '../../../../src-shared/catalog.js';

export const MODEL = {
  id: 'all-minilm-l6-v2-q',
  files: { model: 'model.onnx', tokenizer: 'tokenizer.json' },
  /** Longer texts are cut: the model was trained on short passages, and cost grows with length. */
  maxTokens: 128,
} as const;

/**
 * The model's folder: `resources/models/<id>` in the package root, found by walking up from this module
 * (the same code runs from the TypeScript sources, the compiled tree and the bundle).
 */
export function findModelDir(from = path.dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from, i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'resources', 'models', MODEL.id);
    // Inside the desktop app's archive the model is unpacked beside it, where native code can read it.
    if (existsSync(path.join(candidate, MODEL.files.model))) return candidate.replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked');
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** What the model reads of a tool: its name in words and its description. */
export function toolText(tool: ToolDefinition): string {
  const name = (tool.title ?? tool.name).replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' ');
  return `${name}: ${tool.description ?? ''}`.slice(0, 1000);
}
