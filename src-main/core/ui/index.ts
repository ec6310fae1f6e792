export { UiSessions } from './sessions.js';
export { WebUi, SESSION_COOKIE } from './web-ui.js';
export { CONTENT_SECURITY_POLICY, contentTypeOf } from './static-files.js';
