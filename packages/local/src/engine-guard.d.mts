import type { Server } from 'node:http';
/** The header that carries the engine's per-process secret on every request. */
export const ENGINE_SECRET_HEADER: string;
/** Lets through only requests that carry `secret` in ENGINE_SECRET_HEADER; others get a 403. */
export function guardEngine(server: Server, secret: string): void;
