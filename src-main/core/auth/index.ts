export { SignIns, NoSignIn, signsIn, subjectFor, type SignInsDeps } from './sign-ins.js';
export { SignInSession, SignInRequired, assertSecureUrl, type SignInOptions } from './session.js';
export { SignInStore, type SignInRecord } from './store.js';
export { SignInFailed } from './loopback.js';
