export { homeLabel, Isolation, IsolationUnavailable, type EgressRefusal, type PullProgress } from './isolation.js';
export { containerGivesUp, imageRowOf, isolationFor, IsolationConfigError, loosenedSince, looseningsOf, RELAY_RUNTIME, serverImage, type IsolationSettings, type Loosening, withPinnedImage } from './settings.js';
export { ContainerTransport, LABEL_HOME, LABEL_SERVER } from './container-transport.js';
export { findEngine } from './engine.js';
export { imageFor, isDockerCommand, DEFAULT_RUNTIME_IMAGES } from './runtimes.js';
export { isolatedStdio, usesIsolation } from './stdio.js';
export { dockerRunImage, parseImageRef, pinnedImageRef, unpinnedImage } from './image-ref.js';
