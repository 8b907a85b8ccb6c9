import type { AlertCondition } from './condition.js';

/** The listening_failed condition of an account whose polls the network refuses for good (expired token, 401/403), with why. */
export function listeningCondition(reason: string, failingSince: string, nextPollAt?: string): AlertCondition {
  return {
    kind: 'listening_failed',
    details: {
      summary: 'listening for mentions failed',
      reason,
      failingSince,
      ...(nextPollAt ? { nextPollAt } : {}),
    },
  };
}
