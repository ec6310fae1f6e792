export { Redactor } from './redact.js';
