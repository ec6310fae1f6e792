export { resolveHome, homePaths, type HomePaths } from './home.js';
export { writeFileAtomic, readJsonFile, ensureDir, ensurePrivateDir, FILE_MODE, DIR_MODE } from './files.js';
export { withFileLock, FileLockedError } from './lock.js';
