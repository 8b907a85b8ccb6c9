export * from './clock.js';
export * from './scheduler.js';
export * from './mailer.js';
export * from './channel.js';
export * from './url-policy.js';
export * from './events.js';
export * from './timer-payload.js';
export * from './secret-sealer.js';
