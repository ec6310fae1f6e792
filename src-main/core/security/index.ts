export { scanTool, scanShadowing, flagged, visible, type Finding, type Family, type Severity } from './scanner.js';
export { TrustStore, serverIdentity, type ToolStanding } from './trust-store.js';
export { diffDefinitions, hashTool, pinnedPart, primeToolHash, type DiffLine, type PinnedDefinition } from './pins.js';
export { CallApprovals, type ApprovalRequest, type ApprovalAnswer } from './call-approvals.js';
export { unavailableReason } from './availability.js';
export { reviewOf, type ServerReview, type ToolReview } from './review.js';
