import type { LapsePolicy } from '../cadence/lapses.js';
import type { CadenceSpec } from '../cadence/slots.js';
import type { AccountRecord } from '../records.js';
import { durationMs } from '@drumbeat/standards/time';
import { checkApprovals, type PendingPost } from './approval-check.js';
import type { AlertCondition } from './condition.js';
import { checkEmptySlots, type SlotPlan } from './empty-slot-check.js';
import { checkLapse } from './lapse-check.js';
import { checkReplies, type OpenItem } from './reply-check.js';

/** What an account asks the watchdog to watch; absent parts are not watched. */
export interface WatchPolicy {
  /** The lapse clock starts here: when the cadence was set (or the account created). */
  since: Date;
  lapse?: LapsePolicy;
  slots?: { spec: CadenceSpec; lookahead: string; lookaheadMs: number };
  approval?: { sla: string; slaMs: number };
  /** The response SLA of inbound items (issue 18). */
  responses?: { sla: string };
}

/** The account's watch policy, or null when there is nothing to watch (no cadence rule, no approval SLA, or archived). */
export function watchPolicy(account: AccountRecord): WatchPolicy | null {
  if (account.archivedAt) return null;
  const c = account.cadence;
  const lapse: LapsePolicy = {
    ...(c?.maxGap !== undefined ? { maxGap: c.maxGap } : {}),
    ...(c?.minPosts !== undefined ? { minPosts: c.minPosts } : {}),
  };
  const policy: WatchPolicy = { since: new Date(account.cadenceSetAt ?? account.createdAt) };
  if (lapse.maxGap !== undefined || lapse.minPosts !== undefined) policy.lapse = lapse;
  if (c && c.slots.length > 0) {
    const lookahead = c.lookahead ?? 'P7D';
    policy.slots = {
      spec: { slots: c.slots, timezone: account.timezone },
      lookahead,
      lookaheadMs: durationMs(lookahead),
    };
  }
  if (account.approval?.sla) policy.approval = { sla: account.approval.sla, slaMs: durationMs(account.approval.sla) };
  if (account.responses?.sla) policy.responses = { sla: account.responses.sla };
  return policy.lapse || policy.slots || policy.approval || policy.responses ? policy : null;
}

/** What the watchdog knows of an account at `now`: its policy and the posts each check needs. */
export interface WatchInput {
  now: Date;
  timezone: string;
  policy: WatchPolicy;
  /** Publication instants: at least the latest, and all of the last minPosts.per. */
  publications: Date[];
  /** The slot plan (when slots are watched) and the instants of live posts up to its horizon. */
  plan?: SlotPlan;
  filled: Date[];
  pending: PendingPost[];
  /** Open inbound items with a deadline (when responses are watched). */
  openItems?: OpenItem[];
}

/** What holds now, and the next instant something can change by time alone (null: nothing will). */
export interface WatchVerdict {
  conditions: AlertCondition[];
  next: Date | null;
}

/**
 * Every watched condition of an account at `now` (cadence lapse, empty slots,
 * overdue approvals) and the watchdog's next deadline: the earliest of the
 * lapse instant, the next change of the empty slots in view, and the next
 * approval to run past its SLA. Pure.
 */
export function watch(input: WatchInput): WatchVerdict {
  const { now, policy } = input;
  const conditions: AlertCondition[] = [];
  const nexts: (Date | null)[] = [];
  if (policy.lapse) {
    const r = checkLapse({ now, policy: policy.lapse, since: policy.since, publications: input.publications });
    if (r.condition) conditions.push(r.condition);
    nexts.push(r.next);
  }
  if (policy.slots && input.plan) {
    const r = checkEmptySlots(input.plan, input.filled, input.timezone, policy.slots.lookahead);
    if (r.condition) conditions.push(r.condition);
    nexts.push(r.next);
  }
  if (policy.responses) {
    const r = checkReplies(now, policy.responses.sla, input.openItems ?? []);
    conditions.push(...r.conditions);
    nexts.push(r.next);
  }
  if (policy.approval) {
    const r = checkApprovals(now, policy.approval.sla, policy.approval.slaMs, input.pending, input.timezone);
    conditions.push(...r.conditions);
    nexts.push(r.next);
  }
  const times = nexts.filter((d): d is Date => d !== null).map((d) => d.getTime());
  return { conditions, next: times.length ? new Date(Math.min(...times)) : null };
}
