export { scanTool, flagged, visible, type Finding, type Family, type Severity } from './scanner.js';
export { TrustStore, TrustWriteError } from './trust-store.js';
export { hashTool, primeToolHash } from './pins.js';
export { CallApprovals, type ApprovalRequest, type ApprovalAnswer } from './call-approvals.js';
export { unavailableReason } from './availability.js';
export { reviewOf, reviewedHash, targetOf, type ServerReview } from './review.js';
