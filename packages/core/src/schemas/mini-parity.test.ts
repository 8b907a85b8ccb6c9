/**
 * Pins what every exported schema accepts, what it turns its input into, and
 * the exact issues (code, path, message and the rest) it reports otherwise,
 * plus its metadata and JSON Schema. The snapshots were recorded from the
 * classic-zod schemas before they moved to `zod/mini`: the move must not change
 * a single line of them.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import * as schemas from './index.js';
import { Email, Id, Page, PageQuery, Url } from './common.js';
import { minimalAccount } from './test-account.js';

const VOICE = 'vce_01jd8x3k2m9q4r7s0t1v2w3x4y';
const ACCOUNT = 'acc_01jd8x3k2m9q4r7s0t1v2w3x4y';
const AT = '2026-12-01T10:30:00+01:00';
const long = (n: number) => 'x'.repeat(n);

/** The example a schema documents, as registered in its metadata. */
const example = (s: z.core.$ZodType) => z.globalRegistry.get(s)?.example;

/**
 * Custom messages written by the schemas are pinned; those the cadence and
 * duration parsers write are theirs (and their tests'), so only their code and
 * path are pinned here.
 */
const OWN_MESSAGES = /must be an ISO 8601 instant|is not an IANA time zone|give exactly one of|give at or slot/;

function outcome(schema: z.core.$ZodType, input: unknown) {
  const r = z.safeParse(schema, input);
  if (r.success) return { ok: r.data };
  const issues = r.error.issues.map((i) =>
    i.code === 'custom' && !OWN_MESSAGES.test(i.message) ? { ...i, message: '(parser message)' } : i,
  );
  return { issues };
}

const accountBase = minimalAccount;

const cases: [string, z.core.$ZodType, unknown[]][] = [
  [
    'Instant',
    schemas.Instant,
    ['2026-03-02T15:30:00+01:00', '2026-03-02T14:30:00Z', '2026-03-02T15:30:00', 'tomorrow', 42, undefined],
  ],
  ['InstantOut', schemas.InstantOut, ['anything', 1]],
  ['TimeZone', schemas.TimeZone, ['europe/paris', 'UTC', 'Mars/Base', '+02:00', long(65), 3]],
  ['Language', schemas.Language, ['fr', 'EN-gb', 'zh-Hant-TW', 'not a language', long(36), 3]],
  ['Duration', schemas.Duration, ['PT48H', 'P7D', 'P1M', '48h', 'PT0S', long(41), null]],
  ['Email', Email, ['anna@acme.example', 'nope', `${long(250)}@x.io`]],
  ['Id(voice)', Id('voice'), [VOICE, 'pst_01jd8x3k2m9q4r7s0t1v2w3x4y', 7]],
  [
    'Url',
    Url,
    ['https://x.example/a', 'http://x.example', 'ftp://x.example', 'not a url', `https://${long(2050)}.example`],
  ],
  [
    'PageQuery',
    PageQuery,
    [
      {},
      { limit: '10', cursor: 'c' },
      { limit: 7 },
      { limit: '0' },
      { limit: '201' },
      { limit: '1.5' },
      { limit: 'abc' },
      { cursor: long(1025) },
      { extra: 1 },
      null,
    ],
  ],
  [
    'Page(InstantOut)',
    Page(schemas.InstantOut),
    [{ items: ['a'], nextCursor: null }, { items: ['a'], nextCursor: 'n', more: 1 }, { items: [1] }, {}],
  ],
  ['Slug', schemas.Slug, ['acme', 'a', 'Acme', '-a-', long(49)]],
  [
    'WorkspaceCreate',
    schemas.WorkspaceCreate,
    [
      { name: ' Acme ' },
      { name: 'A', slug: 'acme' },
      { name: '   ', slug: 'B' },
      { name: 'A', x: 1, y: 2 },
      {},
      long(3),
    ],
  ],
  ['Workspace', schemas.Workspace, [example(schemas.Workspace), { id: 'w' }]],
  ['Role', schemas.Role, ['owner', 'boss', undefined]],
  [
    'KeyCreate',
    schemas.KeyCreate,
    [{ name: ' n ', role: 'editor' }, { name: 'n' }, { name: long(121), role: 'x', y: 1 }],
  ],
  ['ApiKey', schemas.ApiKey, [example(schemas.ApiKey), { ...(example(schemas.ApiKey) as object), revokedAt: 5 }]],
  ['ApiKeyCreated', schemas.ApiKeyCreated, [example(schemas.ApiKeyCreated), example(schemas.ApiKey)]],
  ['Affiliation', schemas.Affiliation, ['agency', 'ghost']],
  [
    'VoiceCreate',
    schemas.VoiceCreate,
    [
      { name: ' Anna ', affiliation: 'freelance' },
      example(schemas.VoiceCreate),
      { name: 'A', affiliation: 'ghost' },
      { name: 'A', affiliation: 'agency', email: 'bad', signature: long(41), organization: '  ', other: true },
      { name: 'A', affiliation: 'agency', email: null },
    ],
  ],
  [
    'VoicePatch',
    schemas.VoicePatch,
    [
      {},
      { organization: null },
      { email: null, signature: null },
      { name: null },
      { affiliation: null },
      { name: '', signature: ' AB ', bogus: 1 },
      { archived: true },
    ],
  ],
  ['Voice', schemas.Voice, [example(schemas.Voice), { id: 'v', name: 'n', affiliation: 'agency' }]],
  ['Network', schemas.Network, ['x', 'myspace']],
  ['WebhookChannelIn', schemas.WebhookChannelIn, [{ type: 'webhook', url: 'https://h.example' }, { type: 'webhook' }]],
  [
    'MastodonChannelIn',
    schemas.MastodonChannelIn,
    [{ type: 'mastodon', instanceUrl: 'https://m.example', accessToken: '' }],
  ],
  ['BlueskyChannelIn', schemas.BlueskyChannelIn, [{ type: 'bluesky', identifier: 'a.bsky.social', appPassword: 'p' }]],
  ['ManualChannelIn', schemas.ManualChannelIn, [{ type: 'manual' }, { type: 'manual', x: 1 }]],
  [
    'ChannelIn',
    schemas.ChannelIn,
    [
      { type: 'webhook', url: 'https://h.example' },
      { type: 'mastodon', instanceUrl: 'https://m.example' },
      { type: 'mastodon', instanceUrl: 'https://m.example', accessToken: long(513) },
      { type: 'bluesky', identifier: 'a', appPassword: 'p' },
      { type: 'bluesky', service: 'https://pds.example', identifier: 'a', appPassword: 'p' },
      { type: 'bluesky', service: 'ftp://x', identifier: '', appPassword: 'p' },
      { type: 'fax' },
      {},
      'webhook',
      { type: 'manual', x: 1 },
    ],
  ],
  ['ChannelOut', schemas.ChannelOut, [{ type: 'webhook', url: 'u', extra: 1 }, { type: 'fax' }]],
  ['SlotRule', schemas.SlotRule, ['RRULE:freq=weekly;byday=mo;byhour=9', 'FREQ=SOMETIMES', long(513)]],
  [
    'Cadence',
    schemas.Cadence,
    [
      {},
      { slots: ['FREQ=DAILY;BYHOUR=9'] },
      { slots: [], maxGap: 'P1M', lookahead: 'soon' },
      { minPosts: { count: 3, per: 'P7D' } },
      { minPosts: { count: 0, per: 'P1D' } },
      { minPosts: { count: 1.5, per: 'P1M', x: 1 } },
      { slots: Array.from({ length: 21 }, () => 'FREQ=DAILY') },
      { everyday: true },
      { slots: 'FREQ=DAILY' },
    ],
  ],
  [
    'Approval',
    schemas.Approval,
    [
      { required: true },
      {},
      { required: true, approvers: ['bad', VOICE] },
      { required: false, sla: 'PT4H' },
      { required: 'yes' },
    ],
  ],
  [
    'Listening',
    schemas.Listening,
    [
      { enabled: true },
      { enabled: false, every: 'PT1M' },
      { enabled: true, every: 'PT59S' },
      { enabled: true, every: 'P2D' },
      { enabled: 'yes' },
      {},
    ],
  ],
  [
    'OpeningSpan',
    schemas.OpeningSpan,
    [
      { days: ['MO'], from: '09:00', to: '17:00' },
      { days: ['SU'], from: '17:00', to: '09:00' },
      { days: [], from: '09:00', to: '24:00' },
      { days: ['XX'], from: '9', to: '25:00' },
    ],
  ],
  [
    'OpeningHours',
    schemas.OpeningHours,
    [[{ days: ['MO', 'FR'], from: '09:00', to: '12:00' }], [], [{ days: ['MO'], from: '12:00', to: '12:00' }]],
  ],
  [
    'ResponseSettings',
    schemas.ResponseSettings,
    [
      { sla: 'PT2H' },
      { sla: 'PT2H', hours: [{ days: ['MO'], from: '09:00', to: '17:00' }] },
      { sla: 'P31D' },
      { hours: [] },
      { sla: 'PT2H', extra: 1 },
    ],
  ],
  ['Disclosure', schemas.Disclosure, [{}, { signature: 'name', publicPage: true }, { signature: 'x', publicPage: 1 }]],
  [
    'AlertSettings',
    schemas.AlertSettings,
    [{}, { emails: ['a@b.example'] }, { emails: ['bad'] }, { emails: Array.from({ length: 21 }, () => 'a@b.example') }],
  ],
  [
    'ChatDestination',
    schemas.ChatDestination,
    [example(schemas.ChatDestination), { type: 'irc', url: 'https://x.example' }],
  ],
  [
    'AccountCreate',
    schemas.AccountCreate,
    [
      accountBase,
      {
        ...accountBase,
        timezone: 'america/new_york',
        name: ' Acme ',
        cadence: { slots: ['FREQ=DAILY'] },
        disclosure: {},
        alerts: {},
      },
      { ...accountBase, colour: 'red', cadence: { slots: [], everyday: true } },
      { ...accountBase, channel: { type: 'mastodon', instanceUrl: 'https://m.example' } },
      { ...accountBase, channel: { type: 'fax' } },
      { ...accountBase, timezone: '+02:00', handle: 'a b', network: 'myspace' },
      example(schemas.AccountCreate),
      {},
    ],
  ],
  [
    'AccountPatch',
    schemas.AccountPatch,
    [
      {},
      { cadence: null, approval: null },
      { name: ' x ', timezone: 'europe/paris' },
      { network: 'x' },
      { name: null },
    ],
  ],
  [
    'Account',
    schemas.Account,
    [example(schemas.Account), { ...(example(schemas.Account) as object), channel: { type: 'fax' }, cadenceSetAt: 1 }],
  ],
  ['PostStatus', schemas.PostStatus, ['published', 'gone']],
  [
    'Media',
    schemas.Media,
    [{ url: 'https://c.example/a.jpg' }, { url: 'x', alt: long(1501) }, { url: 'https://c.example', y: 1 }],
  ],
  [
    'PostCreate',
    schemas.PostCreate,
    [
      { text: 'hi', voiceId: VOICE, slot: 'next' },
      { text: 'hi', voiceId: VOICE, at: AT, media: [{ url: 'https://c.example/a.jpg', alt: 'a' }] },
      { text: 'hi', voiceId: VOICE },
      { text: 'hi', voiceId: VOICE, at: AT, slot: 'next' },
      { text: '', voiceId: 'bad', slot: 'later' },
      { text: 'hi', voiceId: VOICE, at: 'bad' },
      {
        text: long(10_001),
        voiceId: VOICE,
        slot: 'next',
        media: Array.from({ length: 5 }, () => ({ url: 'https://c.example/a.jpg' })),
      },
      { text: 'hi', voiceId: VOICE, slot: 'next', status: 'published' },
    ],
  ],
  [
    'PostPatch',
    schemas.PostPatch,
    [{}, { at: AT }, { at: AT, slot: 'next' }, { text: '' }, { editorVoiceId: 'bad', media: [] }, { voiceId: VOICE }],
  ],
  ['PostApproval', schemas.PostApproval, [example(schemas.PostApproval), { voiceId: 1 }]],
  ['PostSource', schemas.PostSource, [example(schemas.PostSource), { kind: 'robot' }]],
  [
    'Post',
    schemas.Post,
    [example(schemas.Post), { ...(example(schemas.Post) as object), attempts: 1.5, awaiting: 'robot', status: 'x' }],
  ],
  [
    'PostListQuery',
    schemas.PostListQuery,
    [
      {},
      { limit: '5', status: 'published', from: '2026-01-01T00:00:00+02:00', cursor: 'c' },
      { status: 'x', limit: '0', from: 'bad', to: 5 },
      { other: 'kept?' },
    ],
  ],
  [
    'CalendarQuery',
    schemas.CalendarQuery,
    [{}, { from: 'bad' }, { from: '2026-01-01T00:00:00+02:00', to: '2026-01-02T00:00:00Z' }],
  ],
  [
    'Calendar',
    schemas.Calendar,
    [example(schemas.Calendar), { ...(example(schemas.Calendar) as object), slots: [{ at: 'a', local: 'l' }] }, {}],
  ],
  ['WebhookEventFilter', schemas.WebhookEventFilter, ['*', 'post.published', 'nope']],
  [
    'WebhookCreate',
    schemas.WebhookCreate,
    [
      { url: 'https://h.example', events: ['*', '*', 'post.published'] },
      { url: 'https://h.example', events: [] },
      { url: 'https://h.example', events: Array.from({ length: 10 }, () => '*') },
      { url: 'ftp://x', events: ['nope'], description: ' d ' },
      { url: 'https://h.example', events: ['*'], description: long(501) },
      { url: 'https://h.example', events: '*' },
    ],
  ],
  [
    'Webhook',
    schemas.Webhook,
    [example(schemas.Webhook), { ...(example(schemas.Webhook) as object), events: ['nope'] }],
  ],
  ['WebhookCreated', schemas.WebhookCreated, [example(schemas.WebhookCreated), example(schemas.Webhook)]],
  ['DeliveryStatus', schemas.DeliveryStatus, ['pending', 'lost']],
  [
    'DeliveryAttempt',
    schemas.DeliveryAttempt,
    [example(schemas.DeliveryAttempt), { at: 'x', status: 1.5, durationMs: '1' }],
  ],
  ['Delivery', schemas.Delivery, [example(schemas.Delivery), {}]],
  [
    'LedgerEntrySchema',
    schemas.LedgerEntrySchema,
    [example(schemas.LedgerEntrySchema), { seq: 1.5, voice: { affiliation: 'x' } }],
  ],
  ['Verification', schemas.Verification, [example(schemas.Verification), { ok: true, entries: 1.5 }]],
  ['CheckpointSchema', schemas.CheckpointSchema, [example(schemas.CheckpointSchema), { seq: -1, hash: 1 }]],
  ['LedgerExport', schemas.LedgerExport, [example(schemas.LedgerExport), { entries: 'none' }]],
  [
    'Transparency',
    schemas.Transparency,
    [
      example(schemas.Transparency),
      { ...(example(schemas.Transparency) as object), lastPublication: null, shareByAffiliation: { a: 'b' } },
    ],
  ],
  ['AlertKind', schemas.AlertKind, ['empty_slots', 'fire']],
  ['AlertStatus', schemas.AlertStatus, ['open', 'closed']],
  [
    'AlertDetails',
    schemas.AlertDetails,
    [{ summary: 's', lastPublishedAt: null }, {}, { summary: 's', emptyCount: 0.5, minPosts: { count: 1 } }],
  ],
  [
    'Alert',
    schemas.Alert,
    [example(schemas.Alert), { ...(example(schemas.Alert) as object), kind: 'fire', details: {} }],
  ],
  [
    'AlertListQuery',
    schemas.AlertListQuery,
    [{}, { status: 'open', accountId: ACCOUNT, limit: '20' }, { status: 'x', accountId: 'bad', limit: '300' }],
  ],
  ['ImportQuery', schemas.ImportQuery, [{}, { shareSlots: 'true' }, { shareSlots: 'yes' }, { other: 1 }]],
  ['ImportReport', schemas.ImportReport, [example(schemas.ImportReport), { row: 1.5, outcome: 'x' }]],
  ['ImportResult', schemas.ImportResult, [example(schemas.ImportResult), { created: 1 }]],
  ['ExportQuery', schemas.ExportQuery, [{}, { bom: 'true', status: 'canceled' }, { bom: '1' }]],
  [
    'AccountStats',
    schemas.AccountStats,
    [example(schemas.AccountStats), { ...(example(schemas.AccountStats) as object), longestGap: null, streak: {} }],
  ],
  [
    'ThreadRefIn',
    schemas.ThreadRefIn,
    [
      { externalId: 'at://did:plc:x/app.bsky.feed.post/1', cid: 'bafy' },
      { externalId: '' },
      { externalId: 'a', url: 'ftp://x' },
    ],
  ],
  [
    'InboundItemIn',
    schemas.InboundItemIn,
    [
      example(schemas.InboundItemIn),
      { ...(example(schemas.InboundItemIn) as object), kind: 'shout', receivedAt: 'yesterday' },
      {},
    ],
  ],
  [
    'ConversationIngest',
    schemas.ConversationIngest,
    [
      example(schemas.InboundItemIn),
      { items: [example(schemas.InboundItemIn)] },
      { items: [] },
      { items: [{ ...(example(schemas.InboundItemIn) as object), text: 5 }] },
      { items: [], other: 1 },
      { text: 'x' },
    ],
  ],
  [
    'ConversationIngestResult',
    schemas.ConversationIngestResult,
    [{ received: 1, created: 1, items: [{ externalId: 'a', id: 'cnv_x', created: true }] }, {}],
  ],
  ['ConversationStatus', schemas.ConversationStatus, ['open', 'closed']],
  [
    'Conversation',
    schemas.Conversation,
    [example(schemas.Conversation), { ...(example(schemas.Conversation) as object), status: 'x' }],
  ],
  [
    'ConversationListQuery',
    schemas.ConversationListQuery,
    [{}, { status: 'open', overdue: 'true', limit: '5' }, { overdue: 'yes', assignee: 'bad' }],
  ],
  ['ConversationAssign', schemas.ConversationAssign, [example(schemas.ConversationAssign), { voiceId: 'x' }]],
  ['ConversationDismiss', schemas.ConversationDismiss, [example(schemas.ConversationDismiss), { reason: ' ' }]],
  [
    'ConversationReportQuery',
    schemas.ConversationReportQuery,
    [{}, { from: '2026-11-30T00:00:00+01:00', to: '2026-12-14T00:00:00Z' }, { from: 'yesterday' }],
  ],
  ['ConversationReport', schemas.ConversationReport, [example(schemas.ConversationReport), { received: 'x' }]],
  ['ConversationReply', schemas.ConversationReply, [example(schemas.ConversationReply), { text: '' }]],
  [
    'RoutingRule',
    schemas.RoutingRule,
    [
      { match: 'emploi|job', voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z' },
      { voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z' },
      { match: '|', voiceId: 'x' },
      { language: 'fr', voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z' },
    ],
  ],
  [
    'ConversationSettings',
    schemas.ConversationSettings,
    [example(schemas.ConversationSettings), {}, { rules: 'x', approval: { required: true, sla: 'P30D' } }],
  ],
  ['ResponseSettings', schemas.ResponseSettings, [example(schemas.ResponseSettings), { sla: 'P1Y' }]],
];

describe('what each schema accepts, produces and refuses', () => {
  it.each(cases)('%s', (_name, schema, inputs) => {
    expect(inputs.map((input) => ({ input, ...outcome(schema, input) }))).toMatchSnapshot();
  });
});

/** The exported schemas, by export name. */
const exported = (Object.entries(schemas) as [string, unknown][]).filter(
  (e): e is [string, z.core.$ZodType] => e[1] instanceof z.core.$ZodType,
);

describe('metadata and JSON Schema', () => {
  it('exports every schema the cases cover', () => {
    const covered = new Set(cases.map(([name]) => name));
    expect(exported.map(([name]) => name).filter((name) => !covered.has(name))).toEqual([]);
  });

  it.each(exported)('%s', (_name, schema) => {
    const meta = z.globalRegistry.get(schema);
    const json = (io: 'input' | 'output') =>
      z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
    expect({ meta, input: json('input'), output: json('output') }).toMatchSnapshot();
  });
});
