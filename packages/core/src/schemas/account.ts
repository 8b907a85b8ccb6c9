import { z } from 'zod';
import { Duration, Email, Id, InstantOut, TimeZone } from './common.js';
import { ChannelIn, ChannelOut } from './channel.js';
import { Network } from './network.js';
import { parseSlotRule } from '../cadence/rrule.js';

/** One RFC 5545 RRULE, interpreted in the account's time zone. */
export const SlotRule = z
  .string()
  .max(512)
  .transform((s, ctx) => {
    const r = parseSlotRule(s);
    if ('error' in r) {
      ctx.addIssue({ code: 'custom', message: r.error });
      return z.NEVER;
    }
    return r.rule;
  })
  .meta({ example: 'FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30' });

export const Cadence = z
  .strictObject({
    slots: z.array(SlotRule).max(20).default([]).meta({ description: 'RRULEs in the account time zone' }),
    maxGap: Duration.optional().meta({ description: 'Longest allowed silence before the cadence lapses', example: 'PT48H' }),
    minPosts: z
      .strictObject({ count: z.number().int().min(1).max(1000), per: Duration })
      .optional()
      .meta({ description: 'At least `count` publications in every window of length `per`' }),
    lookahead: Duration.default('P7D').meta({ description: 'How far ahead empty slots raise an alert' }),
  })
  .meta({
    id: 'Cadence',
    description: 'When the account speaks: recurring slots (RRULEs in its time zone), the longest allowed silence, and how far ahead empty slots matter',
    example: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'], maxGap: 'PT48H', lookahead: 'P7D' },
  });
export type Cadence = z.infer<typeof Cadence>;

export const Approval = z
  .strictObject({
    required: z.boolean(),
    approvers: z.array(Id('voice')).max(50).optional().meta({ description: 'Voices allowed to approve; any approver key when absent' }),
    sla: Duration.optional().meta({ description: 'How long an approval may take', example: 'PT4H' }),
  })
  .meta({ id: 'Approval', description: 'Whether a post needs the approval of someone other than its author, from whom, and how fast', example: { required: true, sla: 'PT4H' } });
export type Approval = z.infer<typeof Approval>;

export const Disclosure = z
  .strictObject({
    signature: z.enum(['none', 'initials', 'name']).default('none').meta({ description: 'Sign-off appended to the published text' }),
    publicPage: z.boolean().default(false).meta({ description: 'Publish the transparency page /t/{workspace}/{handle}' }),
  })
  .meta({ id: 'Disclosure', description: 'What the account discloses: a signature on each post, a public transparency page', example: { signature: 'initials', publicPage: true } });
export type Disclosure = z.infer<typeof Disclosure>;

export const AlertSettings = z
  .strictObject({ emails: z.array(Email).max(20).default([]) })
  .meta({ id: 'AlertSettings', description: 'Who is emailed when an alert of the account opens', example: { emails: ['brand@acme.example'] } });
export type AlertSettings = z.infer<typeof AlertSettings>;

const accountFields = {
  name: z.string().trim().min(1).max(120).meta({ example: 'Acme on Mastodon' }),
  network: Network,
  handle: z.string().trim().min(1).max(100).regex(/^[^\s/?#]+$/, 'no spaces, slashes, ? or #').meta({ example: '@acme' }),
  timezone: TimeZone,
  channel: ChannelIn,
  cadence: Cadence.optional(),
  approval: Approval.optional(),
  disclosure: Disclosure.optional(),
  alerts: AlertSettings.optional(),
};

export const AccountCreate = z.strictObject(accountFields).meta({
  id: 'AccountCreate',
  description: 'A new social account: network, handle, time zone, channel, and optionally cadence, approval, disclosure and alerts',
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
export const AccountPatch = z
  .strictObject({
    name: accountFields.name,
    handle: accountFields.handle,
    timezone: accountFields.timezone,
    channel: accountFields.channel,
    cadence: Cadence.nullable(),
    approval: Approval.nullable(),
    disclosure: Disclosure.nullable(),
    alerts: AlertSettings.nullable(),
  })
  .partial()
  .meta({
    id: 'AccountPatch',
    description: 'Fields to change; null removes cadence, approval, disclosure or alerts',
    example: { cadence: { slots: ['FREQ=DAILY;BYHOUR=12'], maxGap: 'P2D' }, approval: null },
  });

export const Account = z
  .object({
    id: z.string(),
    name: z.string(),
    network: Network,
    handle: z.string(),
    timezone: z.string(),
    channel: ChannelOut,
    cadence: Cadence.optional(),
    approval: Approval.optional(),
    disclosure: Disclosure.optional(),
    alerts: AlertSettings.optional(),
    cadenceSetAt: InstantOut.optional().meta({ description: 'When the cadence was last set; the lapse clock starts here' }),
    createdAt: InstantOut,
    updatedAt: InstantOut,
  })
  .meta({
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
  });

export type AccountCreate = z.infer<typeof AccountCreate>;
export type AccountPatch = z.infer<typeof AccountPatch>;
export type Account = z.infer<typeof Account>;
