export { scanTool, scanDefinition, flagged, otherServersTools, visible, type Finding, type Family, type Severity } from './scanner/index.js';
export { TrustStore, TrustWriteError, type Selection } from './trust-store.js';
export { hashTool, PIN_SCHEME, primeToolHash, type ItemKind } from './pins.js';
export { CallApprovals, type ApprovalRequest, type ApprovalAnswer } from './call-approvals.js';
export { itemUnavailableReason, unavailableReason } from './availability.js';
export { reviewOf, reviewedHash, renamesByMeaning, targetOf, type ServerReview } from './review.js';
export { itemFindings, scanAhead, scanResources } from './findings.js';
export { launchEnvEffect } from './launch-env.js';
export { parseListing, scanListing, ListingError, type ScannedDefinition, type ListedKind } from './scan-listing.js';
