export { ServerRegistry, type RegistryDeps } from './registry.js';
export { TrustDecisions, type DecisionDeps } from './decisions.js';
