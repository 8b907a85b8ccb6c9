import type { AlertDetails, AlertKind, AlertRecord } from '../schemas/alert.js';

/** A problem found by a check: what kind, which post (for post alerts), and what to say about it. */
export interface AlertCondition {
  kind: AlertKind;
  postId?: string;
  /** reply_overdue: the item, one alert each. */
  conversationId?: string;
  details: AlertDetails;
}

/**
 * The part of an alert's details whose change is worth a write: the empty
 * slots listed, the policy that lapsed and since when, the post's times. Text
 * that only restates the clock (the summary's "for 3 days") is left out, so
 * re-checking an unchanged problem writes nothing.
 */
export function detailsFingerprint(kind: AlertKind, d: AlertDetails): string {
  switch (kind) {
    case 'cadence_lapsed':
      return JSON.stringify([d.reason, d.silentSince, d.maxGap, d.minPosts]);
    case 'empty_slots':
      return JSON.stringify([d.emptyCount, (d.emptySlots ?? []).map((s) => s.at)]);
    case 'approval_overdue':
      return JSON.stringify([d.scheduledAt, d.pendingSince, d.sla]);
    case 'publish_failed':
      return JSON.stringify([d.scheduledAt, d.reason]);
    case 'webhook_failing':
      return JSON.stringify([d.webhookId, d.failedDeliveries, d.disabledAt]);
    case 'email_bounced':
      return JSON.stringify((d.bounces ?? []).map((b) => [b.address, b.event, b.usedAs, b.voiceIds]));
    case 'listening_failed':
      return JSON.stringify([d.reason, d.failingSince]);
    case 'reply_overdue':
      return JSON.stringify([d.conversationId, d.dueAt]);
  }
}

/** Whether new details are worth a refresh (the alert lifecycle's refresh): the fingerprint changed. */
export const detailsChanged = (a: AlertRecord, details: AlertDetails): boolean =>
  detailsFingerprint(a.kind, a.details) !== detailsFingerprint(a.kind, details);
