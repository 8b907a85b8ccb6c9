export * from './record.js';
export * from './routing-rules.js';
export * from './response-due.js';
export * from './lifecycle.js';
export * from './report.js';
