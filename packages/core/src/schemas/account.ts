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
  .meta({ id: 'Cadence' });
export type Cadence = z.infer<typeof Cadence>;

export const Approval = z
  .strictObject({
    required: z.boolean(),
    approvers: z.array(Id('voice')).max(50).optional().meta({ description: 'Voices allowed to approve; any approver key when absent' }),
    sla: Duration.optional().meta({ description: 'How long an approval may take', example: 'PT4H' }),
  })
  .meta({ id: 'Approval' });
export type Approval = z.infer<typeof Approval>;

export const Disclosure = z
  .strictObject({
    signature: z.enum(['none', 'initials', 'name']).default('none').meta({ description: 'Sign-off appended to the published text' }),
    publicPage: z.boolean().default(false).meta({ description: 'Publish the transparency page /t/{workspace}/{handle}' }),
  })
  .meta({ id: 'Disclosure' });
export type Disclosure = z.infer<typeof Disclosure>;

export const AlertSettings = z
  .strictObject({ emails: z.array(Email).max(20).default([]) })
  .meta({ id: 'AlertSettings' });
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

export const AccountCreate = z.strictObject(accountFields).meta({ id: 'AccountCreate' });
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
  .meta({ id: 'AccountPatch', description: 'Fields to change; null removes cadence, approval, disclosure or alerts' });

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
  .meta({ id: 'Account', description: 'One social presence of the workspace' });

export type AccountCreate = z.infer<typeof AccountCreate>;
export type AccountPatch = z.infer<typeof AccountPatch>;
export type Account = z.infer<typeof Account>;
