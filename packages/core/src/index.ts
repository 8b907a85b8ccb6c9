export * from './errors.js';
export * from './ids.js';
export * from './time/index.js';
export * from './schemas/index.js';
export * from './ports/index.js';
export * from './records.js';
export * from './cadence/index.js';
export * from './signature.js';
