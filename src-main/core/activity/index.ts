export { ActivityLog } from './log.js';
export { recordActivity, type ActivitySources } from './recorder.js';
export { DEFAULT_RETENTION, type ActivityFilter, type ActivityInput, type Actor, type StoredRecord, type ToolStats, type VerifyResult, type Retention } from './types.js';
