import * as z from 'zod/mini';
import { AFFILIATIONS } from './voice.js';
import { InstantOut } from './common.js';
import { PostSource } from './post.js';
import { withMeta } from './with-meta.js';

const int = () => z.number().check(z.int());

export const LedgerEntrySchema = withMeta(
  z.object({
    seq: withMeta(int(), { description: 'Per-workspace sequence number, contiguous from 1' }),
    postId: z.string(),
    accountId: z.string(),
    voice: z.object({
      id: z.string(),
      name: z.string(),
      affiliation: z.enum(AFFILIATIONS),
      organization: z.nullable(z.string()),
    }),
    approvedBy: withMeta(z.array(z.string()), { description: 'Voice ids that approved the post' }),
    approvals: withMeta(
      z.optional(z.array(z.object({ voiceId: z.string(), enteredBy: z.nullable(z.string()), onBehalf: z.boolean() }))),
      {
        description:
          'Each approval: the voice, the API key that entered it, and whether a workspace key entered it on the voice’s behalf (covered by the hash)',
      },
    ),
    recordedBy: withMeta(z.optional(z.object({ keyId: z.string(), voiceId: z.nullable(z.string()) })), {
      description: 'A manual publication: the API key that recorded it and its person (null for a workspace key)',
    }),
    source: withMeta(z.optional(PostSource), {
      description: 'How the post came in (mcp: drafted with an assistant, named by its client); covered by the hash',
    }),
    editSource: withMeta(z.optional(PostSource), { description: 'How its text was last changed; covered by the hash' }),
    kind: withMeta(z.optional(z.literal('reply')), {
      description: 'reply: an answer to an inbound item (absent on posts); covered by the hash',
    }),
    answers: withMeta(
      z.optional(
        z.object({
          conversationId: z.string(),
          network: z.string(),
          externalId: z.string(),
          url: z.nullable(z.string()),
          author: z.string(),
        }),
      ),
      {
        description:
          'The item a reply answers: its conversation, network id, URL and author handle; covered by the hash',
      },
    ),
    channel: z.string(),
    externalUrl: z.nullable(z.string()),
    publishedAt: InstantOut,
    contentHash: withMeta(z.string(), { description: 'SHA-256 of the exact published text, hex' }),
    prevHash: z.string(),
    hash: withMeta(z.string(), { description: 'SHA-256 over the canonical JSON of the entry, prevHash included' }),
  }),
  {
    id: 'LedgerEntry',
    description: 'One publication in the append-only attribution ledger',
    example: {
      seq: 1,
      postId: 'pst_01jd8x3k2m9q4r7s0t1v2w3x4y',
      accountId: 'acc_01jd8x3k2m9q4r7s0t1v2w3x4y',
      voice: {
        id: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4y',
        name: 'Anna Bell',
        affiliation: 'agency',
        organization: 'Northwind Agency',
      },
      approvedBy: ['vce_01jd8x3k2m9q4r7s0t1v2w3x4z'],
      approvals: [
        { voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z', enteredBy: 'key_01jd8x3k2m9q4r7s0t1v2w3x50', onBehalf: false },
      ],
      channel: 'mastodon',
      externalUrl: 'https://mastodon.social/@acme/113555',
      publishedAt: '2026-11-25T08:30:01.204Z',
      contentHash: '9b0f5c1ad1e0c7f3a1f0e8b3f7f0a5c2d4e6b8a0c2e4f6a8b0d2f4a6c8e0a2b4',
      prevHash: '0000000000000000000000000000000000000000000000000000000000000000',
      hash: '4e1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f',
    },
  },
);

const CHECKPOINT_EXAMPLE = {
  workspace: 'ws_01jd8x3k2m9q4r7s0t1v2w3x4y',
  seq: 42,
  hash: '4e1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f',
  at: '2026-11-25T08:30:01.311Z',
  publicKey: 'Oa-5ahl2uKecCq6YxMrhGKcnUB2sn90tU2t4-pjINjw',
  signature: 'HugQGfPjWKLfi4xPB3JO2GjhkFemGsl_EryonAFteQiuiFvBIuBwEj0dvKXoZ5zwyVbVoiJ-SEyESnO-t92nDg',
};

export const CheckpointSchema = withMeta(
  z.object({
    workspace: z.string(),
    seq: withMeta(int(), { description: 'The ledger head: the sequence number of the newest entry' }),
    hash: withMeta(z.string(), { description: 'The hash of that entry (hex)' }),
    at: withMeta(InstantOut, { description: 'When the head was signed' }),
    publicKey: withMeta(z.string(), { description: "The workspace's Ed25519 public key, 32 raw bytes, base64url" }),
    signature: withMeta(z.string(), {
      description:
        'Ed25519 over "drumbeat-checkpoint/v1\\n" + the canonical JSON of {workspace, seq, hash, at}, base64url',
    }),
  }),
  {
    id: 'Checkpoint',
    description:
      'The ledger head signed with the workspace key: keep it, and a later rewrite or rollback of the ledger can be proven (npx drumbeat-verify)',
    example: CHECKPOINT_EXAMPLE,
  },
);

export const LedgerExport = withMeta(
  z.object({
    workspace: z.string(),
    publicKey: withMeta(z.nullable(z.string()), {
      description:
        "The workspace's checkpoint key as drumbeat states it today (an auditor pins the key of the checkpoints they hold)",
    }),
    entries: z.array(LedgerEntrySchema),
  }),
  {
    id: 'LedgerExport',
    description:
      "The workspace's whole ledger, to check against checkpoints held elsewhere: `npx drumbeat-verify ledger.json checkpoints.jsonl`",
    example: { workspace: CHECKPOINT_EXAMPLE.workspace, publicKey: CHECKPOINT_EXAMPLE.publicKey, entries: [] },
  },
);

const AuditFindingSchema = z.object({
  kind: z.enum(['broken_chain', 'rewritten', 'rolled_back', 'bad_signature', 'forked_checkpoints', 'key_mismatch']),
  seq: int(),
  message: z.string(),
});

export const Verification = withMeta(
  z.object({
    ok: z.boolean(),
    entries: int(),
    firstBroken: z.optional(z.object({ seq: int(), reason: z.string() })),
    checkpoints: withMeta(z.optional(z.object({ stored: int(), verified: int() })), {
      description:
        'Checkpoints stored with the ledger, and how many verify under the workspace key and match their entry',
    }),
    findings: withMeta(z.optional(z.array(AuditFindingSchema)), { description: 'Everything found wrong, by entry' }),
  }),
  {
    id: 'Verification',
    description:
      'The walk of the hash chain and the check of its stored checkpoints: whether they hold, and the first broken entry when not',
    example: {
      ok: false,
      entries: 42,
      firstBroken: { seq: 17, reason: 'hash does not match the entry content' },
      checkpoints: { stored: 30, verified: 30 },
      findings: [{ kind: 'broken_chain', seq: 17, message: 'entry 17: hash does not match the entry content' }],
    },
  },
);

/** What the public transparency page of an account says. */
export const Transparency = withMeta(
  z.object({
    workspace: z.object({ name: z.string(), slug: z.string() }),
    account: z.object({ name: z.string(), network: z.string(), handle: z.string() }),
    window: z.object({ from: InstantOut, to: InstantOut, days: int() }),
    voices: z.array(
      z.object({
        name: z.string(),
        affiliation: z.enum(AFFILIATIONS),
        organization: z.nullable(z.string()),
        posts: withMeta(int(), { description: 'Posts this voice published in the window (answers not included)' }),
        answers: withMeta(int(), {
          description: 'Answers this voice gave to people who wrote to the account (issue 18)',
        }),
      }),
    ),
    shareByAffiliation: withMeta(z.record(z.string(), z.number()), {
      description: 'Share of the window’s publications by affiliation, 0..1',
    }),
    publications: withMeta(int(), { description: 'Everything published in the window: posts and answers' }),
    answers: withMeta(int(), {
      description: 'How many of the publications were answers to people who wrote to the account',
    }),
    assisted: withMeta(z.optional(z.object({ posts: int(), of: int(), text: z.string() })), {
      description:
        'How many of the window’s publications were drafted with an assistant (created or last edited through MCP), in words too',
    }),
    approval: z.object({
      required: z.boolean(),
      approvers: int(),
      sla: z.nullable(z.string()),
      requiredFor: z.optional(z.enum(['all', 'mcp'])),
    }),
    signature: z.enum(['none', 'initials', 'name']),
    lastPublication: z.nullable(
      z.object({ at: InstantOut, url: z.nullable(z.string()), voice: z.string(), affiliation: z.enum(AFFILIATIONS) }),
    ),
    ledger: z.optional(z.object({ entries: int(), verified: z.boolean() })),
    checkpoints: withMeta(
      z.nullable(
        z.object({ algorithm: z.literal('Ed25519'), publicKey: z.string(), latest: z.nullable(CheckpointSchema) }),
      ),
      {
        description:
          "The workspace's checkpoint key and its latest signed ledger head: archive them to audit the ledger later (null until signing is set up)",
      },
    ),
  }),
  {
    id: 'Transparency',
    description:
      "What an account's public transparency page says: who voiced its recent posts, by affiliation, and how they are approved",
    example: {
      workspace: { name: 'Acme Coffee', slug: 'acme' },
      account: { name: 'Acme on Mastodon', network: 'mastodon', handle: '@acme' },
      window: { from: '2026-08-25T10:00:00.000Z', to: '2026-11-23T10:00:00.000Z', days: 90 },
      voices: [{ name: 'Anna Bell', affiliation: 'agency', organization: 'Northwind Agency', posts: 12, answers: 3 }],
      shareByAffiliation: { in_house: 0, agency: 1, freelance: 0, automation: 0 },
      publications: 15,
      answers: 3,
      approval: { required: true, approvers: 1, sla: 'PT4H' },
      signature: 'initials',
      lastPublication: {
        at: '2026-11-20T08:30:00.000Z',
        url: 'https://mastodon.social/@acme/113555',
        voice: 'Anna Bell',
        affiliation: 'agency',
      },
      checkpoints: { algorithm: 'Ed25519', publicKey: CHECKPOINT_EXAMPLE.publicKey, latest: CHECKPOINT_EXAMPLE },
    },
  },
);
export type Transparency = z.infer<typeof Transparency>;
