export * from './post-effect.js';
export * from './post-lifecycle.js';
export * from './review-lifecycle.js';
