export { ToolSearch, type SearchStatus } from './tool-search.js';
export { ToolIndex, type SearchHit } from './tool-index.js';
export { SemanticSearch, type SemanticOptions, type SemanticStatus } from './semantic/index.js';
export { findModelDir, MODEL } from './semantic/model.js';
