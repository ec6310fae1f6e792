export { CallPipeline, text, type Caller, type CallListener, type CallOutcome, type CallRecord, type CallRequest, type CallStatus, type PipelineDeps } from './pipeline.js';
export { lookupTool, type Lookup } from './lookup.js';
export type { Cut } from './result-pages.js';
