/**
 * The ledger's audit surface on its own (`@drumbeat/core/audit`): hashing,
 * chain walk, checkpoint signatures and the audit of an export. No zod, no
 * I/O: what a verifier outside drumbeat (the client, a browser) needs.
 */
export * from './ledger.js';
export * from './checkpoint.js';
export * from './ledger-audit.js';
