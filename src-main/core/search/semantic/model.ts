// The bundled sentence model: where its files are and what text of a tool it reads.
import path from 'node:path';
import { findResource } from '../../resources/index.js';
import type { ToolDefinition } from '../../../../src-shared/catalog.js';
import { nameInWords } from '../../../../src-shared/ids.js';

export const MODEL = {
  id: 'all-minilm-l6-v2-q',
  files: { model: 'model.onnx', tokenizer: 'tokenizer.json' },
  /** Longer texts are cut: the model was trained on short passages, and cost grows with length. */
  maxTokens: 128,
} as const;

/** The model's folder, `resources/models/<id>` in the package root. */
export function findModelDir(from?: string): string | undefined {
  const file = findResource(path.join('models', MODEL.id, MODEL.files.model), from);
  return file && path.dirname(file);
}

/** What the model reads of a tool: its name in words and its description. */
export function toolText(tool: ToolDefinition): string {
  const name = nameInWords(tool.title ?? tool.name);
  return `${name}: ${tool.description ?? ''}`.slice(0, 1000);
}
