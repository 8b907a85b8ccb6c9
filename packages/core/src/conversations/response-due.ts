import type { ResponseSettings } from '../schemas/conversation.js';
import { durationMs } from '../time/duration.js';

/**
 * When an item received at `receivedAt` should be answered under the
 * account's response settings; undefined when the account sets none. This
 * plain version counts every hour; the opening-hours version (issue 18,
 * network side) replaces it behind the same signature.
 */
export function responseDueAt(receivedAt: Date, responses: ResponseSettings | undefined, _timezone: string): Date | undefined {
  if (!responses) return undefined;
  return new Date(receivedAt.getTime() + durationMs(responses.sla));
}
