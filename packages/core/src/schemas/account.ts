import * as z from 'zod/mini';
import {
  DurationBetween,
  DurationUpTo,
  Email,
  Id,
  InstantOut,
  Language,
  noControlChars,
  NameText,
  TimeZone,
  Url,
} from './common.js';
import { ChannelIn, ChannelOut } from './channel.js';
import { Network } from './network.js';
import { parseRRule } from '@drumbeat/standards/rrule';
import { withMeta } from './with-meta.js';
import { ResponseSettings } from './opening-hours.js';
import { ConversationSettings } from './conversation.js';

/** One RFC 5545 RRULE, interpreted in the account's time zone. */
export const SlotRule = withMeta(
  z.pipe(
    z.string().check(z.maxLength(512)),
    z.transform((s: string, ctx) => {
      const r = parseRRule(s);
      if ('error' in r) {
        ctx.issues.push({ code: 'custom', message: r.error, input: s });
        return z.NEVER;
      }
      return r.rule;
    }),
  ),
  { example: 'FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30' },
);

/**
 * The longest cadence or approval duration: a year of calendar (more than any
 * team plans ahead). The watchdog expands the slots of the whole lookahead and
 * reads posts over the minPosts window, so these bound its work.
 */
export const MAX_CADENCE_DURATION = 'P366D';
const CadenceDuration = DurationUpTo(MAX_CADENCE_DURATION);

export const Cadence = withMeta(
  z.strictObject({
    slots: withMeta(z._default(z.array(SlotRule).check(z.maxLength(20)), []), {
      description: 'RRULEs in the account time zone',
    }),
    maxGap: withMeta(z.optional(CadenceDuration), {
      description: 'Longest allowed silence before the cadence lapses (at most P366D)',
      example: 'PT48H',
    }),
    minPosts: withMeta(
      z.optional(
        z.strictObject({ count: z.number().check(z.int(), z.minimum(1), z.maximum(1000)), per: CadenceDuration }),
      ),
      {
        description: 'At least `count` publications in every window of length `per` (at most P366D)',
      },
    ),
    lookahead: withMeta(z._default(CadenceDuration, 'P7D'), {
      description: 'How far ahead empty slots raise an alert (at most P366D)',
    }),
  }),
  {
    id: 'Cadence',
    description:
      'When the account speaks: recurring slots (RRULEs in its time zone), the longest allowed silence, and how far ahead empty slots matter',
    example: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'], maxGap: 'PT48H', lookahead: 'P7D' },
  },
);
export type Cadence = z.infer<typeof Cadence>;

export const Approval = withMeta(
  z.strictObject({
    required: z.boolean(),
    approvers: withMeta(z.optional(z.array(Id('voice')).check(z.maxLength(50))), {
      description: 'Voices allowed to approve; any approver key when absent',
    }),
    sla: withMeta(z.optional(CadenceDuration), {
      description: 'How long an approval may take (at most P366D)',
      example: 'PT4H',
    }),
    requiredFor: withMeta(z.optional(z.enum(['all', 'mcp'])), {
      description:
        'With required: which posts need approval: all (default), or only those drafted with an assistant (created or edited through MCP)',
    }),
    onBehalf: withMeta(z.optional(z.boolean()), {
      description:
        "Whether a workspace key (one that belongs to no person) may approve or reject on behalf of a named voice; recorded as such. Default false: only the person's own key decides",
    }),
  }),
  {
    id: 'Approval',
    description: 'Whether a post needs the approval of someone other than its author, from whom, and how fast',
    example: { required: true, sla: 'PT4H' },
  },
);
export type Approval = z.infer<typeof Approval>;

export const Disclosure = withMeta(
  z.strictObject({
    signature: withMeta(z._default(z.enum(['none', 'initials', 'name']), 'none'), {
      description: 'Sign-off appended to the published text',
    }),
    publicPage: withMeta(z._default(z.boolean(), false), {
      description: 'Publish the transparency page /t/{workspace}/{handle}',
    }),
  }),
  {
    id: 'Disclosure',
    description: 'What the account discloses: a signature on each post, a public transparency page',
    example: { signature: 'initials', publicPage: true },
  },
);
export type Disclosure = z.infer<typeof Disclosure>;

export const ChatDestination = withMeta(
  z.strictObject({
    type: withMeta(z.enum(['slack', 'teams', 'webhook']), {
      description:
        'slack: an incoming webhook (Block Kit); teams: a Workflows webhook (Adaptive Card); webhook: plain JSON',
    }),
    url: withMeta(Url, {
      description: 'The webhook URL; it passes the egress policy (https, public address)',
      example: 'https://hooks.slack.com/services/T000/B000/XXXX',
    }),
  }),
  {
    id: 'ChatDestination',
    description: 'A chat channel that hears of alerts as they are emailed',
    example: { type: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
  },
);
export type ChatDestination = z.infer<typeof ChatDestination>;

export const AlertSettings = withMeta(
  z.strictObject({
    emails: z._default(z.array(Email).check(z.maxLength(20)), []),
    chat: z.optional(z.array(ChatDestination).check(z.maxLength(5))),
  }),
  {
    id: 'AlertSettings',
    description: 'Who is emailed when an alert of the account opens',
    example: { emails: ['brand@acme.example'] },
  },
);
export type AlertSettings = z.infer<typeof AlertSettings>;

/** The shortest and longest polling interval of a listening account (issue 18). */
export const MIN_LISTEN_EVERY = 'PT1M';
export const MAX_LISTEN_EVERY = 'P1D';
export const DEFAULT_LISTEN_EVERY = 'PT5M';

export const Listening = withMeta(
  z.strictObject({
    enabled: withMeta(z.boolean(), {
      description: 'Poll the network (Mastodon, Bluesky channels) for mentions, replies and quotes into the inbox',
    }),
    every: withMeta(z._default(DurationBetween(MIN_LISTEN_EVERY, MAX_LISTEN_EVERY), DEFAULT_LISTEN_EVERY), {
      description: 'How often to poll: ISO 8601, default PT5M, at least PT1M (at most P1D)',
      example: 'PT5M',
    }),
  }),
  {
    id: 'Listening',
    description:
      'Opt-in listening: one poll of the network per interval, through the account channel and its credentials; an account that does not listen costs nothing',
    example: { enabled: true, every: 'PT5M' },
  },
);
export type Listening = z.infer<typeof Listening>;

const accountFields = {
  name: withMeta(NameText(120), { example: 'Acme on Mastodon' }),
  network: Network,
  handle: withMeta(
    z
      .string()
      .check(
        z.trim(),
        z.minLength(1),
        z.maxLength(100),
        noControlChars,
        z.regex(/^[^\s/?#]+$/, 'no spaces, slashes, ? or #'),
      ),
    { example: '@acme' },
  ),
  timezone: TimeZone,
  language: withMeta(z.optional(Language), {
    description:
      'The language the account writes in (BCP 47): Bluesky posts carry it as `langs`, Mastodon statuses as `language`',
  }),
  channel: ChannelIn,
  cadence: z.optional(Cadence),
  approval: z.optional(Approval),
  disclosure: z.optional(Disclosure),
  alerts: z.optional(AlertSettings),
  listening: z.optional(Listening),
  conversations: withMeta(z.optional(ConversationSettings), {
    description: 'Inbox routing rules and whether answers need approval',
  }),
  responses: withMeta(z.optional(ResponseSettings), {
    description: 'The response SLA of inbound items, counted in opening hours when set',
  }),
};

export const AccountCreate = withMeta(z.strictObject(accountFields), {
  id: 'AccountCreate',
  description:
    'A new social account: network, handle, time zone, channel, and optionally cadence, approval, disclosure and alerts',
  example: {
    name: 'Acme on Mastodon',
    network: 'mastodon',
    handle: '@acme',
    timezone: 'Europe/Paris',
    channel: { type: 'manual' },
    cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'], maxGap: 'PT48H' },
    alerts: { emails: ['brand@acme.example'] },
  },
});
export const AccountPatch = withMeta(
  z.partial(
    z.strictObject({
      name: accountFields.name,
      handle: accountFields.handle,
      timezone: accountFields.timezone,
      language: z.nullable(Language),
      channel: accountFields.channel,
      cadence: z.nullable(Cadence),
      approval: z.nullable(Approval),
      disclosure: z.nullable(Disclosure),
      alerts: z.nullable(AlertSettings),
      listening: z.nullable(Listening),
      conversations: z.nullable(ConversationSettings),
      responses: z.nullable(ResponseSettings),
    }),
  ),
  {
    id: 'AccountPatch',
    description:
      'Fields to change; null removes language, cadence, approval, disclosure, alerts, listening, conversations or responses',
    example: { cadence: { slots: ['FREQ=DAILY;BYHOUR=12'], maxGap: 'P2D' }, approval: null },
  },
);

export const Account = withMeta(
  z.object({
    id: z.string(),
    name: z.string(),
    network: Network,
    handle: z.string(),
    timezone: z.string(),
    language: z.optional(z.string()),
    channel: ChannelOut,
    cadence: z.optional(Cadence),
    approval: z.optional(Approval),
    disclosure: z.optional(Disclosure),
    alerts: z.optional(AlertSettings),
    listening: z.optional(Listening),
    conversations: z.optional(ConversationSettings),
    responses: z.optional(ResponseSettings),
    cadenceSetAt: withMeta(z.optional(InstantOut), {
      description: 'When the cadence was last set; the lapse clock starts here',
    }),
    createdAt: InstantOut,
    updatedAt: InstantOut,
  }),
  {
    id: 'Account',
    description: 'One social presence of the workspace',
    example: {
      id: 'acc_01jd8x3k2m9q4r7s0t1v2w3x4y',
      name: 'Acme on Mastodon',
      network: 'mastodon',
      handle: '@acme',
      timezone: 'Europe/Paris',
      channel: { type: 'webhook', url: 'https://tools.agency.example/hooks/drumbeat' },
      cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'], maxGap: 'PT48H', lookahead: 'P7D' },
      disclosure: { signature: 'initials', publicPage: true },
      cadenceSetAt: '2026-11-23T10:00:00.000Z',
      createdAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
    },
  },
);

export type AccountCreate = z.infer<typeof AccountCreate>;
export type AccountPatch = z.infer<typeof AccountPatch>;
export type Account = z.infer<typeof Account>;
