export { ConfigStore } from './store.js';
export { ConfigError, parseConfigText, validateConfig } from './parse.js';
