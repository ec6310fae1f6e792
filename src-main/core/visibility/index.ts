export { Visibility, type VisibilityDeps, type ToolLookup } from './visibility.js';
