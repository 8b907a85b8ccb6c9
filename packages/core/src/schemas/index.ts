export * from './common.js';
export * from './workspace.js';
export * from './key.js';
export * from './voice.js';
export * from './network.js';
export * from './channel.js';
export * from './account.js';
export * from './post.js';
