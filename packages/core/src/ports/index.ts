export * from './clock.js';
export * from './scheduler.js';
export * from './mailer.js';
export * from './channel.js';
export * from './url-policy.js';
