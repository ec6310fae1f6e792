export { Visibility, type VisibilityDeps, type ToolLookup } from './visibility.js';
export { scopedVisibility, type VisibleSet } from './scoped.js';
