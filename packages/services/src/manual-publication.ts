import { Conflict, guardField, invalidField, postRule, refusal, signedText, type PostRecord } from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import type { LedgerService } from './ledger.js';
import type { PostEffects } from './post-effects.js';
import { publicationDraft } from './publication-draft.js';

/** How long a half-done report (a crash after the ledger append) holds the recording before another takes it over. */
const RECORDING_STALE_MS = 60_000;

/**
 * A person says a manual-channel post is out (`POST /v1/posts/{id}/published`):
 * recorded like any publication, once. Early is fine; a future instant is not.
 * One report wins the right to write the ledger (claimRecording); the post is
 * then published from scheduled or publishing (the post lifecycle's
 * "published by a person").
 */
export class ManualPublication {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ledger: LedgerService,
    private readonly effects: PostEffects,
  ) {}

  async record(
    ws: string,
    id: string,
    input: { url?: string | undefined; publishedAt?: string | undefined },
    actor: { keyId: string; voiceId?: string | undefined },
  ): Promise<PostRecord> {
    const post = await this.deps.store.posts.get(ws, id);
    const account = await this.deps.store.accounts.get(ws, post.accountId);
    if (account.channel.type !== 'manual')
      throw new Conflict(
        `post ${id} goes out through the ${account.channel.type} channel; only manual posts are marked published by hand`,
      );
    const now = this.deps.clock.now();
    const at = input.publishedAt ? new Date(input.publishedAt) : now;
    const recording = postRule(
      {
        type: 'claimRecording',
        publishedAt: at.toISOString(),
        staleBefore: new Date(now.getTime() - RECORDING_STALE_MS).toISOString(),
      },
      now.toISOString(),
    );
    const refused = refusal(post, recording.when);
    if (refused && guardField(refused) === 'status')
      throw new Conflict(
        `post ${id} is ${post.status}; only a scheduled post awaiting its person can be marked published`,
      );
    if (at > now) throw invalidField('publishedAt', 'cannot be in the future', 422);
    // Before the post existed it cannot have gone out: such a date would rewrite history (a ledger entry dated years back).
    if (at.getTime() < Date.parse(post.createdAt))
      throw invalidField('publishedAt', `cannot be before the post was created (${post.createdAt})`, 422);
    // A recording under way (refused here too) is left to the store's write to report, as a race would be.
    if (!(await this.deps.store.posts.apply(ws, id, recording)))
      throw new Conflict(`post ${id} is already being recorded as published`);
    const voice = await this.deps.store.voices.get(ws, post.voiceId);
    const text = signedText(post.text, account.disclosure, voice);
    // A report left half-done is taken over reusing its entry.
    const earlier = post.recordingPublishedAt
      ? await this.ledger.entryOf(ws, id, post.recordingPublishedAt)
      : undefined;
    const entry =
      earlier ??
      (await this.ledger.append(ws, {
        ...(await publicationDraft(this.deps, post, account, voice, text, input.url, at)),
        recordedBy: { keyId: actor.keyId, voiceId: actor.voiceId ?? null },
      }));
    const rule = postRule(
      {
        type: 'published',
        by: 'person',
        publishedAt: entry.publishedAt,
        externalUrl: input.url,
        lateness: Math.max(0, at.getTime() - Date.parse(post.scheduledAt)),
        recordedBy: { keyId: actor.keyId, ...(actor.voiceId ? { voiceId: actor.voiceId } : {}) },
      },
      now.toISOString(),
    );
    const published = await this.deps.store.posts.apply(ws, id, rule);
    if (!published) throw new Conflict(`post ${id} changed meanwhile; read it again`);
    await this.effects.run(rule.effects, { post: published, at: now, account, voice, text, entry });
    return published;
  }
}
