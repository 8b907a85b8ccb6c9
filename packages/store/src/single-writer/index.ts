export { singleWriterCache } from './single-writer-cache.js';
