export { SemanticSearch, type SemanticOptions, type SemanticStatus } from './semantic-search.js';
export type { Nearest } from './protocol.js';
