export { ServerRegistry, type RegistryDeps } from './registry.js';
export { TrustDecisions, type DecisionDeps } from './decisions.js';
export { argsWithRelease, packageRun, type PackageRun } from './releases.js';
export { newestRelease, packageIndex, ReleaseLookupError } from './newest-release.js';
