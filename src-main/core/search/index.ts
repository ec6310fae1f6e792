export { ToolIndex, type SearchHit } from './tool-index.js';
export { tokenize } from './tokenize.js';
