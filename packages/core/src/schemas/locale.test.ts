import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type * as Classic from 'zod';
import {
  AccountCreate,
  Approval,
  Cadence,
  ChannelIn,
  Email,
  KeyCreate,
  PageQuery,
  PostCreate,
  Role,
  Slug,
  Url,
} from './index.js';

type ClassicZ = typeof Classic.z;

const VOICE = 'vce_01jd8x3k2m9q4r7s0t1v2w3x4y';

/** A failure of a core schema, and the same failure written with classic zod. */
const failures: [string, z.core.$ZodType, unknown, (c: ClassicZ) => Classic.ZodType][] = [
  ['string too short', Slug, 'a', (c) => c.string().min(2).max(48)],
  ['string too long', Slug, 'x'.repeat(49), (c) => c.string().min(2).max(48)],
  ['unknown enum value', Role, 'boss', (c) => c.enum(['owner', 'editor', 'approver', 'viewer'])],
  [
    'unknown key',
    KeyCreate,
    { name: 'n', role: 'editor', x: 1 },
    (c) => c.strictObject({ name: c.string(), role: c.string() }),
  ],
  [
    'missing field',
    KeyCreate,
    { name: 'n' },
    (c) => c.strictObject({ name: c.string(), role: c.enum(['owner', 'editor', 'approver', 'viewer']) }),
  ],
  ['bad email', Email, 'nope', (c) => c.email().max(254)],
  ['bad URL protocol', Url, 'ftp://x.example', (c) => c.url({ protocol: /^https?$/ }).max(2048)],
  [
    'number not an integer',
    PageQuery,
    { limit: '1.5' },
    (c) => c.object({ limit: c.coerce.number().int().min(1).max(200) }),
  ],
  [
    'number not a number',
    PageQuery,
    { limit: 'abc' },
    (c) => c.object({ limit: c.coerce.number().int().min(1).max(200) }),
  ],
  ['number too small', PageQuery, { limit: '0' }, (c) => c.object({ limit: c.coerce.number().int().min(1).max(200) })],
  [
    'array too long',
    Cadence,
    { slots: Array.from({ length: 21 }, () => 'FREQ=DAILY') },
    (c) => c.object({ slots: c.array(c.string()).max(20) }),
  ],
  ['wrong type', Approval, { required: 'yes' }, (c) => c.object({ required: c.boolean() })],
  [
    'unknown discriminator',
    ChannelIn,
    { type: 'fax' },
    (c) =>
      c.discriminatedUnion('type', [
        c.object({ type: c.literal('webhook') }),
        c.object({ type: c.literal('mastodon') }),
        c.object({ type: c.literal('bluesky') }),
        c.object({ type: c.literal('manual') }),
      ]),
  ],
  [
    'wrong literal',
    PostCreate,
    { text: 'hi', voiceId: VOICE, slot: 'later' },
    (c) => c.object({ slot: c.literal('next').optional() }),
  ],
  [
    'nested unknown key',
    AccountCreate,
    { name: 'A', network: 'x', handle: '@a', timezone: 'UTC', channel: { type: 'manual', x: 1 } },
    (c) => c.object({ channel: c.strictObject({ type: c.literal('manual') }) }),
  ],
];

const messages = (schema: z.core.$ZodType, input: unknown) =>
  z.safeParse(schema, input).error?.issues.map((i) => i.message) ?? [];

describe('the messages of core schemas', () => {
  it('are English as soon as core is loaded, and the same as classic zod gives for the same failure', async () => {
    // Read before classic zod is loaded: classic installs English itself, core must not lean on that.
    const mini = failures.map(([, schema, input]) => messages(schema, input));
    expect(mini[0]).toEqual(['Too small: expected string to have >=2 characters']);

    const { z: classic } = await import('zod');
    const expected = failures.map(([, , input, make]) => messages(make(classic), input));
    for (const [i, [name]] of failures.entries()) {
      expect(mini[i], name).toEqual(expected[i]);
      expect(mini[i]!.length, name).toBeGreaterThan(0);
    }
  });
});
