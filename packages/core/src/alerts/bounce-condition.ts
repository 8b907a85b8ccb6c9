import type { AlertDetails } from '../schemas/alert.js';
import type { AlertCondition } from './condition.js';

/** One address of an account mail no longer reaches. */
export type MailBounce = NonNullable<AlertDetails['bounces']>[number];

/** The email_bounced condition of an account: the addresses it uses that bounced or complained (at least one). */
export function bounceCondition(bounces: MailBounce[]): AlertCondition {
  const sorted = [...bounces].sort((a, b) => a.address.localeCompare(b.address));
  const one = sorted.length === 1 ? sorted[0]! : undefined;
  const summary = one
    ? `mail to ${one.address} ${one.event === 'bounce' ? 'bounced' : 'was reported as spam'}; it is no longer sent there`
    : `mail to ${sorted.length} addresses no longer arrives (${sorted.map((b) => b.address).join(', ')})`;
  return { kind: 'email_bounced', details: { summary, bounces: sorted } };
}

/** Merges bounce reports by address, the latest report of an address winning. */
export function mergeBounces(...lists: MailBounce[][]): MailBounce[] {
  const by = new Map<string, MailBounce>();
  for (const b of lists.flat()) {
    const seen = by.get(b.address);
    if (!seen || seen.reportedAt <= b.reportedAt) by.set(b.address, b);
  }
  return [...by.values()];
}
