export { ConfigStore } from './store.js';
export { ConfigError, describeIssues, parseConfigText, validateConfig } from './parse.js';
export { protectionsGivenUp } from './protections.js';
