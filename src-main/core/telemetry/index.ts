export { Tracing, type InSpan } from './tracing.js';
export { Metrics } from './metrics.js';
