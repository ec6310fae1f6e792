export { Catalog } from './catalog.js';
export { CatalogCache } from './cache.js';
