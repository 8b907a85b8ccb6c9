import * as z from 'zod/mini';
import { DurationUpTo, Id, Instant, InstantOut, Language, noControlChars, Url } from './common.js';
import { withMeta } from './with-meta.js';

/** Most items one ingest request may carry. */
export const MAX_INGEST_BATCH = 500;

/** A network id: one line, at most 512 characters (it is part of a store key). */
const ExternalId = z.string().check(z.minLength(1), z.maxLength(512), noControlChars);

export const ThreadRefIn = withMeta(
  z.strictObject({
    externalId: withMeta(ExternalId, { description: 'Mastodon status id, Bluesky at:// URI, or the tool’s own id' }),
    cid: withMeta(z.optional(z.string().check(z.minLength(1), z.maxLength(128), noControlChars)), {
      description: 'Bluesky only: the record’s CID',
    }),
    url: z.optional(Url),
  }),
  {
    id: 'ThreadRef',
    description: 'Where an item sits in its thread, in the network’s own ids',
    example: {
      externalId: 'at://did:plc:abc/app.bsky.feed.post/3kq',
      cid: 'bafyreib2rxk3rh6kzwq',
      url: 'https://bsky.app/profile/jo.example/post/3kq',
    },
  },
);

export const CONVERSATION_KINDS = ['mention', 'reply', 'quote', 'question', 'direct'] as const;

export const InboundItemIn = withMeta(
  z.strictObject({
    externalId: withMeta(ExternalId, {
      description: 'The network’s id of the item: an item seen twice (same account, same id) is one item',
      example: '113555123456789',
    }),
    cid: withMeta(z.optional(z.string().check(z.minLength(1), z.maxLength(128), noControlChars)), {
      description: 'Bluesky only: the item’s CID (to reply to it)',
    }),
    url: z.optional(Url),
    kind: withMeta(z.enum(CONVERSATION_KINDS), { description: 'mention, reply, quote, question or direct' }),
    author: z.strictObject({
      handle: z.string().check(z.trim(), z.minLength(1), z.maxLength(320), noControlChars),
      displayName: z.optional(z.string().check(z.maxLength(200), noControlChars)),
    }),
    text: withMeta(z.string().check(z.maxLength(10_000)), {
      description: 'The item’s text as the network gives it (shown escaped everywhere)',
    }),
    receivedAt: withMeta(Instant, { description: 'When the network says it was written' }),
    inReplyTo: z.optional(ThreadRefIn),
    root: z.optional(ThreadRefIn),
    language: z.optional(Language),
  }),
  {
    id: 'InboundItem',
    description: 'One mention, reply, quote or question to ingest into an account’s inbox',
    example: {
      externalId: '113555123456789',
      url: 'https://mastodon.social/@jo/113555123456789',
      kind: 'mention',
      author: { handle: '@jo@mastodon.social', displayName: 'Jo' },
      text: '@acme are you hiring?',
      receivedAt: '2026-12-04T16:30:00Z',
    },
  },
);
export type InboundItemIn = z.infer<typeof InboundItemIn>;

/**
 * An ingest body: one item, or `{items: [...]}` with 1 to MAX_INGEST_BATCH.
 * Checked as one shape or the other (never as a union, whose errors would
 * not name the field): a bad item is reported at `text` or `items.3.text`.
 */
export const ConversationIngest = withMeta(
  z
    .looseObject({
      items: withMeta(z.optional(z.array(InboundItemIn).check(z.minLength(1), z.maxLength(MAX_INGEST_BATCH))), {
        description: `A batch of 1 to ${MAX_INGEST_BATCH} items`,
      }),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (v.items !== undefined) {
          for (const k of Object.keys(v))
            if (k !== 'items')
              ctx.addIssue({ code: 'custom', path: [k], message: 'unknown field (a batch has only items)' });
          return;
        }
        const one = z.safeParse(InboundItemIn, v);
        if (!one.success)
          for (const issue of one.error.issues)
            ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path } as never);
      }),
    ),
  {
    id: 'ConversationIngest',
    description: `One item (the InboundItem fields at the top level), or {items: [...]} with 1 to ${MAX_INGEST_BATCH}; idempotent by externalId within the account`,
    example: {
      items: [
        {
          externalId: '113555123456789',
          kind: 'mention',
          author: { handle: '@jo@mastodon.social' },
          text: '@acme are you hiring?',
          receivedAt: '2026-12-04T16:30:00Z',
        },
      ],
    },
  },
);
export type ConversationIngest = z.infer<typeof ConversationIngest>;

/** The items of a valid ingest body, parsed (instants normalised). */
export function ingestItems(body: ConversationIngest): InboundItemIn[] {
  return body.items ?? [z.parse(InboundItemIn, body)];
}

export const ConversationIngestResult = withMeta(
  z.object({
    received: withMeta(z.number(), { description: 'Items in the request' }),
    created: withMeta(z.number(), { description: 'Items new to the inbox (the others were already there)' }),
    items: withMeta(z.array(z.object({ externalId: z.string(), id: z.string(), created: z.boolean() })), {
      description: 'Each item and its conversation id, in request order',
    }),
  }),
  {
    id: 'ConversationIngestResult',
    description: 'What an ingest added',
    example: {
      received: 1,
      created: 1,
      items: [{ externalId: '113555123456789', id: 'cnv_01jd8x3k2m9q4r7s0t1v2w3x4y', created: true }],
    },
  },
);

export const CONVERSATION_STATUSES = ['open', 'answered', 'dismissed'] as const;
export const ConversationStatus = withMeta(z.enum(CONVERSATION_STATUSES), {
  description: 'open → answered | dismissed',
});
export type ConversationStatus = z.infer<typeof ConversationStatus>;

const ThreadRefOut = z.object({ externalId: z.string(), cid: z.optional(z.string()), url: z.optional(z.string()) });

export const Conversation = withMeta(
  z.object({
    id: z.string(),
    accountId: z.string(),
    network: z.string(),
    externalId: z.string(),
    cid: z.optional(z.string()),
    url: z.optional(z.string()),
    kind: z.enum(CONVERSATION_KINDS),
    author: z.object({ handle: z.string(), displayName: z.optional(z.string()) }),
    text: z.string(),
    receivedAt: InstantOut,
    inReplyTo: z.optional(ThreadRefOut),
    root: z.optional(ThreadRefOut),
    language: z.optional(z.string()),
    status: ConversationStatus,
    dismissReason: z.optional(z.string()),
    assigneeId: withMeta(z.optional(z.string()), { description: 'The voice asked to answer' }),
    assignNote: z.optional(z.string()),
    assignedAt: z.optional(InstantOut),
    assignedBy: withMeta(z.optional(z.string()), {
      description: 'The API key (or `rule:<n>`, an account routing rule) that assigned it',
    }),
    answerPostId: withMeta(z.optional(z.string()), {
      description: 'The answer published through drumbeat (a post of the account)',
    }),
    answeredBy: withMeta(z.optional(z.string()), { description: 'The voice that answered through drumbeat' }),
    answerFailures: withMeta(z.optional(z.number()), {
      description:
        'Answers through drumbeat whose publication failed for good: each put the item back to open, and another may be sent (at most 20 attempts in all)',
    }),
    failedAnswer: withMeta(z.optional(z.object({ postId: z.string(), reason: z.string(), at: InstantOut })), {
      description: 'The last answer whose publication failed for good (the item went back to awaiting an answer)',
    }),
    outsideAnswer: withMeta(
      z.optional(z.object({ externalId: z.string(), url: z.optional(z.string()), at: InstantOut })),
      {
        description: 'Answered on the network by the account, outside drumbeat',
      },
    ),
    answeredAt: z.optional(InstantOut),
    dueAt: withMeta(z.optional(InstantOut), { description: 'The response deadline under the account’s responses.sla' }),
    createdAt: InstantOut,
    updatedAt: InstantOut,
  }),
  {
    id: 'Conversation',
    description: 'An inbound item of an account that may need an answer',
    example: {
      id: 'cnv_01jd8x3k2m9q4r7s0t1v2w3x4y',
      accountId: 'acc_01jd8x3k2m9q4r7s0t1v2w3x4y',
      network: 'mastodon',
      externalId: '113555123456789',
      kind: 'mention',
      author: { handle: '@jo@mastodon.social' },
      text: '@acme are you hiring?',
      receivedAt: '2026-12-04T16:30:00.000Z',
      status: 'open',
      assigneeId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z',
      dueAt: '2026-12-04T18:30:00.000Z',
      createdAt: '2026-12-04T16:30:02.000Z',
      updatedAt: '2026-12-04T16:30:02.000Z',
    },
  },
);
export type Conversation = z.infer<typeof Conversation>;

const boolQuery = z.pipe(
  z.enum(['true', 'false']),
  z.transform((s: 'true' | 'false') => s === 'true'),
);

export const ConversationListQuery = z.object({
  status: z.optional(ConversationStatus),
  assignee: withMeta(z.optional(Id('voice')), { description: 'Only items assigned to this voice' }),
  overdue: withMeta(z.optional(boolQuery), { description: 'true: only open items past their deadline' }),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 50),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

export const ConversationAssign = withMeta(
  z.strictObject({ voiceId: Id('voice'), note: z.optional(z.string().check(z.maxLength(2000))) }),
  {
    id: 'ConversationAssign',
    description: 'Who should answer, with a note for them',
    example: { voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z', note: 'A hiring question for you' },
  },
);
export const ConversationDismiss = withMeta(
  z.strictObject({ reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)) }),
  {
    id: 'ConversationDismiss',
    description: 'Why no answer is needed',
    example: { reason: 'spam' },
  },
);
export const ConversationReply = withMeta(
  z.strictObject({
    text: z.string().check(z.minLength(1), z.maxLength(10_000)),
    voiceId: withMeta(z.optional(Id('voice')), {
      description:
        'The voice answering: a personal key answers as its own voice (omit it); a workspace key must name it',
    }),
  }),
  {
    id: 'ConversationReply',
    description: 'The answer, published as a reply in the item’s thread',
    example: { text: 'Yes! See our jobs page.', voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z' },
  },
);

/** A routing rule: keywords (`emploi|job|hiring`, case- and accent-insensitive) and/or a language, to a voice. */
export const RoutingRule = withMeta(
  z
    .strictObject({
      match: withMeta(z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500), noControlChars)), {
        description: 'Keywords separated by | (any one matches, as a word, ignoring case and accents)',
        example: 'emploi|job|hiring',
      }),
      language: withMeta(z.optional(Language), { description: 'Matches items in this language (fr matches fr-CA)' }),
      voiceId: Id('voice'),
    })
    .check(
      z.superRefine((r, ctx) => {
        if (r.match === undefined && r.language === undefined)
          ctx.addIssue({ code: 'custom', path: ['match'], message: 'give match, language, or both' });
        if (r.match?.split('|').every((k) => k.trim() === ''))
          ctx.addIssue({ code: 'custom', path: ['match'], message: 'give at least one keyword' });
      }),
    ),
  {
    id: 'RoutingRule',
    description: 'Assigns an arriving item to a voice when its text and language match (the first matching rule wins)',
    example: { match: 'emploi|job|hiring', voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z' },
  },
);
export type RoutingRule = z.infer<typeof RoutingRule>;

export const ConversationSettings = withMeta(
  z.strictObject({
    rules: z._default(z.array(RoutingRule).check(z.maxLength(50)), []),
    approval: withMeta(z.optional(z.strictObject({ required: z.boolean(), sla: z.optional(DurationUpTo('P7D')) })), {
      description:
        'Whether answers need approval like posts (default: no; speed matters), and how long it may take (default PT1H)',
    }),
  }),
  {
    id: 'ConversationSettings',
    description: 'How the inbox routes arriving items, and whether answers need approval',
    example: { rules: [{ match: 'emploi|job|hiring', voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z' }] },
  },
);
export type ConversationSettings = z.infer<typeof ConversationSettings>;
