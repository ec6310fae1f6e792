export { scanTool, flagged, visible, type Finding, type Family, type Severity } from './scanner.js';
