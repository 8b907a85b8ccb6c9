import type { AlertKind } from '../schemas/alert.js';

/** The key of one alert episode: per account and kind, and per post for post alerts. At most one open alert holds it. */
export function alertDedupeKey(accountId: string, kind: AlertKind, postId?: string): string {
  return postId ? `${accountId}#${kind}#${postId}` : `${accountId}#${kind}`;
}
