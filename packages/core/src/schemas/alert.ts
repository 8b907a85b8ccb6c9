import * as z from 'zod/mini';
import { Id, InstantOut, PageQuery } from './common.js';
import { withMeta } from './with-meta.js';

/**
 * Alerts (DESIGN.md "Words"): an open problem of one account, opened once per
 * episode, notified once, resolved when its condition clears, acknowledgeable.
 * Also the account's health figures (`GET /v1/accounts/{id}/stats`).
 */
export const ALERT_KINDS = [
  'cadence_lapsed',
  'empty_slots',
  'approval_overdue',
  'publish_failed',
  'webhook_failing',
  'email_bounced',
  'listening_failed',
  'reply_overdue',
] as const;
export const AlertKind = withMeta(z.enum(ALERT_KINDS), {
  description:
    'cadence_lapsed: nothing published for longer than maxGap (or fewer than minPosts); empty_slots: slots within the lookahead with no post; approval_overdue: a post pending approval past its SLA; publish_failed: a post that failed for good (or was missed); webhook_failing: a webhook subscription gave up delivering an event of this account (every retry failed), until one of its deliveries succeeds; email_bounced: mail to an address the account uses (an alert recipient, an approver) bounced for good or was reported as spam, so drumbeat no longer mails it, until the address is changed or removed, or the alert is acknowledged; listening_failed: polling the network for mentions was refused for good (expired token, 401/403) and backs off until a poll succeeds; reply_overdue: an inbound item still open past its response deadline (one per item), until it is answered or dismissed',
});
export type AlertKind = z.infer<typeof AlertKind>;

/** Kinds raised per post rather than per account. */
export const PER_POST_ALERT_KINDS: readonly AlertKind[] = ['approval_overdue', 'publish_failed'];

export const ALERT_STATUSES = ['open', 'resolved'] as const;
export const AlertStatus = withMeta(z.enum(ALERT_STATUSES), {
  description: 'open until its condition clears, then resolved',
});
export type AlertStatus = z.infer<typeof AlertStatus>;

const LocalSlot = z.object({
  at: InstantOut,
  local: withMeta(z.string(), {
    description: 'The same instant in the account time zone',
    example: '2026-12-02T09:30:00+01:00[Europe/Paris]',
  }),
});

const int = () => z.number().check(z.int());

/** One address of an account that SES reported as undeliverable (email_bounced). */
const MailBounce = withMeta(
  z.object({
    address: withMeta(z.string(), {
      description: 'The address, in full: the workspace needs it to fix it',
      example: 'ops@acme.example',
    }),
    event: withMeta(z.enum(['bounce', 'complaint']), {
      description: 'bounce: permanently undeliverable; complaint: its reader marked drumbeat mail as spam',
    }),
    detail: withMeta(z.string(), {
      description: "SES's words: bounce type and subtype, or the complaint's feedback type",
      example: 'Permanent/General',
    }),
    reportedAt: InstantOut,
    usedAs: withMeta(z.array(z.enum(['alert_recipient', 'approver'])), {
      description: 'Where the account uses it: in its alert emails, as the address of one of its approvers',
    }),
    voiceIds: withMeta(z.optional(z.array(z.string())), { description: 'The approvers (voices) with this address' }),
  }),
  { description: 'An address mail no longer reaches; drumbeat does not mail it again (SES suppression list)' },
);

/** What an alert says, by kind; every alert has `summary`. */
export const AlertDetails = withMeta(
  z.object({
    summary: withMeta(z.string(), {
      description: 'One sentence, as the email subject says it',
      example: 'no post for 2 days',
    }),
    // cadence_lapsed
    reason: withMeta(z.optional(z.string()), {
      description: 'cadence_lapsed: max_gap or min_posts; publish_failed: why the channel gave up',
    }),
    lastPublishedAt: withMeta(z.optional(z.nullable(InstantOut)), {
      description: 'cadence_lapsed: the last publication counted (null when none since the cadence was set)',
    }),
    silentSince: withMeta(z.optional(InstantOut), {
      description: 'cadence_lapsed: the last publication, or when the cadence was set',
    }),
    lapsedAt: withMeta(z.optional(InstantOut), { description: 'cadence_lapsed: when the cadence lapsed' }),
    maxGap: z.optional(z.string()),
    minPosts: z.optional(z.object({ count: z.number(), per: z.string() })),
    publishedInWindow: withMeta(z.optional(int()), {
      description: 'cadence_lapsed by minPosts: publications in the last `per`',
    }),
    // empty_slots
    emptySlots: withMeta(z.optional(z.array(LocalSlot)), {
      description: 'empty_slots: every empty slot within the lookahead (at most 100 listed)',
    }),
    emptyCount: withMeta(z.optional(int()), { description: 'empty_slots: how many slots are empty' }),
    lookahead: z.optional(z.string()),
    // approval_overdue, publish_failed
    postId: z.optional(z.string()),
    scheduledAt: z.optional(InstantOut),
    scheduledLocal: z.optional(z.string()),
    pendingSince: withMeta(z.optional(InstantOut), { description: 'approval_overdue: creation or last edit' }),
    overdueAt: withMeta(z.optional(InstantOut), { description: 'approval_overdue: when the SLA ran out' }),
    sla: z.optional(z.string()),
    // webhook_failing
    webhookId: z.optional(z.string()),
    webhookUrl: z.optional(z.string()),
    failedDeliveries: withMeta(z.optional(int()), {
      description: 'webhook_failing: deliveries in a row whose every retry failed',
    }),
    disabledAt: withMeta(z.optional(InstantOut), {
      description: 'webhook_failing: when the subscription was disabled for it',
    }),
    // email_bounced
    bounces: withMeta(z.optional(z.array(MailBounce)), {
      description: 'email_bounced: each address of the account mail no longer reaches',
    }),
    // listening_failed
    failingSince: withMeta(z.optional(InstantOut), { description: 'listening_failed: the first refused poll' }),
    nextPollAt: withMeta(z.optional(InstantOut), {
      description: 'listening_failed: when the next (backed-off) poll runs',
    }),
    // reply_overdue
    conversationId: withMeta(z.optional(z.string()), { description: 'reply_overdue: the item waiting for an answer' }),
    receivedAt: withMeta(z.optional(InstantOut), { description: 'reply_overdue: when the item was written' }),
    dueAt: withMeta(z.optional(InstantOut), { description: 'reply_overdue: its response deadline' }),
    author: withMeta(z.optional(z.string()), { description: 'reply_overdue: who wrote it (handle)' }),
    text: withMeta(z.optional(z.string()), { description: 'reply_overdue: what they wrote (at most 280 characters)' }),
  }),
  {
    id: 'AlertDetails',
    description: 'What an alert says, by kind; every alert has a summary',
    example: {
      summary: 'no post for 2 days',
      reason: 'max_gap',
      lastPublishedAt: '2026-11-21T08:30:00.000Z',
      lapsedAt: '2026-11-23T08:30:00.000Z',
      maxGap: 'PT48H',
    },
  },
);
export type AlertDetails = z.infer<typeof AlertDetails>;

export const Alert = withMeta(
  z.object({
    id: withMeta(z.string(), { example: 'alr_01jd8x3k2m9q4r7s0t1v2w3x4y' }),
    accountId: z.string(),
    kind: AlertKind,
    postId: withMeta(z.optional(z.string()), { description: 'The post, for approval_overdue and publish_failed' }),
    status: AlertStatus,
    openedAt: InstantOut,
    resolvedAt: z.optional(InstantOut),
    ackedAt: withMeta(z.optional(InstantOut), {
      description: 'When someone acknowledged it (it stays open until its condition clears)',
    }),
    ackedBy: withMeta(
      z.optional(
        z.object({
          keyId: z.string(),
          voiceId: z.optional(z.string()),
          recipient: withMeta(z.optional(z.string()), {
            description:
              'Set when acknowledged from an alert email: the recipient address whose Acknowledge link was used (keyId is then lnk_…, the link)',
          }),
        }),
      ),
      { description: 'Who acknowledged it: the API key, and its person for a personal key' },
    ),
    notifiedAt: withMeta(z.optional(InstantOut), {
      description: "When the email to the account's alert recipients went out",
    }),
    details: AlertDetails,
  }),
  {
    id: 'Alert',
    description: 'An open or resolved problem of one account',
    example: {
      id: 'alr_01jd8x3k2m9q4r7s0t1v2w3x4y',
      accountId: 'acc_01jd8x3k2m9q4r7s0t1v2w3x4y',
      kind: 'cadence_lapsed',
      status: 'open',
      openedAt: '2026-11-23T08:30:00.000Z',
      notifiedAt: '2026-11-23T08:30:01.000Z',
      details: {
        summary: 'no post for 2 days',
        reason: 'max_gap',
        lastPublishedAt: '2026-11-21T08:30:00.000Z',
        lapsedAt: '2026-11-23T08:30:00.000Z',
        maxGap: 'PT48H',
      },
    },
  },
);
export type Alert = z.infer<typeof Alert>;

export const AlertListQuery = z.extend(PageQuery, {
  status: withMeta(z.optional(AlertStatus), { description: 'open or resolved; both when absent' }),
  accountId: withMeta(z.optional(Id('account')), { description: "Only this account's alerts" }),
});
export type AlertListQuery = z.infer<typeof AlertListQuery>;

/** An alert as stored: the public shape plus its dedupe key, notification bookkeeping and version. */
export interface AlertRecord {
  id: string;
  workspaceId: string;
  accountId: string;
  kind: AlertKind;
  postId?: string;
  /** One open episode per key: `<accountId>#<kind>[#<postId>]`. */
  dedupeKey: string;
  openedAt: string;
  resolvedAt?: string;
  ackedAt?: string;
  /** The API key that acknowledged it. */
  ackedBy?: string;
  /** Its person, when that key is a personal key. */
  ackedByVoice?: string;
  /** The alert recipient whose Acknowledge link was used (then `ackedBy` names the link, `lnk_…`). */
  ackedByRecipient?: string;
  /** Set once the email went out; never sent twice. */
  notifiedAt?: string;
  messageId?: string;
  /** An email being sent now (a claim), attempts so far, when to try again, the last error. */
  notifyingAt?: string;
  notifyAttempts?: number;
  notifyRetryAt?: string;
  notifyError?: string;
  details: AlertDetails;
  updatedAt: string;
  version: number;
}

/** The public view of an alert. */
export function toAlert(r: AlertRecord): Alert {
  return {
    id: r.id,
    accountId: r.accountId,
    kind: r.kind,
    ...(r.postId !== undefined ? { postId: r.postId } : {}),
    status: r.resolvedAt ? 'resolved' : 'open',
    openedAt: r.openedAt,
    ...(r.resolvedAt !== undefined ? { resolvedAt: r.resolvedAt } : {}),
    ...(r.ackedAt !== undefined ? { ackedAt: r.ackedAt } : {}),
    ...(r.ackedBy !== undefined
      ? {
          ackedBy: {
            keyId: r.ackedBy,
            ...(r.ackedByVoice ? { voiceId: r.ackedByVoice } : {}),
            ...(r.ackedByRecipient ? { recipient: r.ackedByRecipient } : {}),
          },
        }
      : {}),
    ...(r.notifiedAt !== undefined ? { notifiedAt: r.notifiedAt } : {}),
    details: r.details,
  };
}

const Gap = withMeta(z.object({ ms: z.number(), from: InstantOut, to: InstantOut }), {
  description: 'A stretch with no publication',
});
const Percentiles = z.object({
  count: withMeta(int(), { description: 'Approvals measured' }),
  medianMs: z.nullable(z.number()),
  p90Ms: z.nullable(z.number()),
});

export const AccountStats = withMeta(
  z.object({
    accountId: z.string(),
    timezone: z.string(),
    from: withMeta(InstantOut, {
      description: 'Start of the 12 weeks measured (Monday 00:00 local, 11 weeks before this one)',
    }),
    to: withMeta(InstantOut, { description: 'Now' }),
    weeks: withMeta(z.array(z.object({ start: InstantOut, startLocal: z.string(), published: int() })), {
      description:
        'Posts published per local calendar week (Monday to Sunday), oldest first; the last one is the current week',
    }),
    longestGap: withMeta(z.nullable(Gap), {
      description:
        'The longest stretch between publications of the 12 weeks (the current silence included); null with no publication',
    }),
    streak: z.object({
      slots: withMeta(int(), {
        description: 'Consecutive past slots, counted back from now, each filled by a published post',
      }),
      capped: withMeta(z.boolean(), {
        description: 'True when every slot of the 12 weeks was filled (the streak may be longer)',
      }),
    }),
    timeToApproval: withMeta(Percentiles, {
      description:
        "From a post's creation (or last edit, when recorded) to its first approval, over posts scheduled from the 12 weeks on",
    }),
    openAlerts: int(),
  }),
  {
    id: 'AccountStats',
    description: "An account's publishing health",
    example: {
      accountId: 'acc_01jd8x3k2m9q4r7s0t1v2w3x4y',
      timezone: 'Europe/Paris',
      from: '2026-09-06T22:00:00.000Z',
      to: '2026-11-23T10:00:00.000Z',
      weeks: [
        { start: '2026-11-22T23:00:00.000Z', startLocal: '2026-11-23T00:00:00+01:00[Europe/Paris]', published: 1 },
      ],
      longestGap: { ms: 172800000, from: '2026-11-18T08:30:00.000Z', to: '2026-11-20T08:30:00.000Z' },
      streak: { slots: 5, capped: false },
      timeToApproval: { count: 8, medianMs: 1800000, p90Ms: 7200000 },
      openAlerts: 0,
    },
  },
);
export type AccountStats = z.infer<typeof AccountStats>;
