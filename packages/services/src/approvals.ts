import {
  Conflict,
  decide,
  Forbidden,
  guardField,
  Invalid,
  invalidField,
  reviewRule,
  toPost,
  type AccountRecord,
  type DecisionRecord,
  type EventSink,
  type Post,
} from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import type { AccountHooks } from './account-hooks.js';
import { postRev } from './action-links/action-token.js';
import { PostEffects } from './post-effects.js';

/** What an approver says: which voice decides (a personal key's own when absent), and why. */
export interface Decision {
  voiceId?: string | undefined;
  note?: string | undefined;
  /**
   * The text version (postRev) the decider saw, when the decision comes from
   * a page that showed one (an action link): a post edited since is a 409,
   * never an approval of text nobody read. Checked against the record the
   * write is conditional on.
   */
  expectedRev?: string | undefined;
}

/** Who enters a decision: the API key, and its person when it is a personal key. */
export interface Actor {
  keyId: string;
  voiceId?: string | undefined;
}

/**
 * The voice a decision is in, and whether it is entered on that voice's
 * behalf. A personal key decides only as its own person; a workspace key
 * (nobody's) only names a voice where the account allows it.
 */
export function decidingVoice(
  d: Decision,
  actor: Actor,
  account: AccountRecord,
): { voiceId: string; onBehalf: boolean } {
  if (actor.voiceId) {
    if (d.voiceId !== undefined && d.voiceId !== actor.voiceId) {
      throw new Forbidden(
        `this is the personal key of voice ${actor.voiceId}: it decides only as that voice, never as ${d.voiceId}`,
        [{ path: 'voiceId', message: 'a personal key decides only as its own voice' }],
      );
    }
    return { voiceId: actor.voiceId, onBehalf: false };
  }
  if (!account.approval?.onBehalf) {
    throw new Forbidden(
      "this key belongs to no person: approvals and rejections take the decider's personal key (POST /v1/keys with voiceId), unless the account allows decisions on someone's behalf (approval.onBehalf: true)",
    );
  }
  if (!d.voiceId) throw invalidField('voiceId', 'required: a workspace key must name the voice it decides for');
  return { voiceId: d.voiceId, onBehalf: true };
}

/**
 * Fast, honest approvals. A post of an account that requires approval waits
 * in pending_approval; one approval by an allowed voice schedules it. The
 * author (and the voice that last edited it) can never approve it; when the
 * account names approvers, only they can. A rejection is recorded and keeps
 * the post pending until it is edited (which starts a new round) or its time
 * passes (then it is missed).
 *
 * Who decided is what really happened: a personal key decides as its own
 * voice; a workspace key decides for a named voice only where the account
 * allows it (`approval.onBehalf`), and the decision then records both the
 * voice and the key that entered it, as the ledger does at publication.
 */
export class ApprovalService {
  private readonly effects: PostEffects;

  constructor(
    private readonly deps: ServiceDeps,
    events: EventSink,
    hooks: AccountHooks,
  ) {
    this.effects = new PostEffects(deps, events, hooks, { answers: () => undefined });
  }

  /** Approves a pending post as the actor's voice (or on a named voice's behalf): it becomes scheduled. */
  approve(ws: string, postId: string, d: Decision, actor: Actor): Promise<Post> {
    return this.decide(ws, postId, d, actor, 'approve');
  }

  /** Rejects a pending post: recorded; the post stays pending until edited. */
  reject(ws: string, postId: string, d: Decision, actor: Actor): Promise<Post> {
    return this.decide(ws, postId, d, actor, 'reject');
  }

  private async decide(
    ws: string,
    postId: string,
    d: Decision,
    actor: Actor,
    verb: 'approve' | 'reject',
  ): Promise<Post> {
    const post = await this.deps.store.posts.get(ws, postId);
    const account = await this.deps.store.accounts.get(ws, post.accountId);
    const { voiceId, onBehalf } = decidingVoice(d, actor, account);
    const voice = await this.deps.store.voices.find(ws, voiceId);
    if (!voice)
      throw new Invalid(
        `voiceId: voice ${voiceId} not found`,
        [{ path: 'voiceId', message: `voice ${voiceId} not found in this workspace` }],
        422,
      );
    if (voice.archivedAt)
      throw new Invalid('voiceId: the voice is archived', [{ path: 'voiceId', message: 'voice is archived' }], 422);
    const now = this.deps.clock.now();
    const entry: DecisionRecord = {
      voiceId,
      at: now.toISOString(),
      ...(d.note ? { note: d.note } : {}),
      enteredBy: actor.keyId,
      onBehalf,
    };
    const rule = reviewRule(
      verb === 'approve'
        ? { type: 'approve', version: post.version, decision: entry, answer: post.conversationId !== undefined }
        : { type: 'reject', version: post.version, decision: entry },
      now.toISOString(),
    );
    const decided = decide(post, rule);
    if (!decided.ok && guardField(decided.refused) === 'status')
      throw new Conflict(
        `post ${postId} is ${post.status}; only a post pending approval can be ${verb === 'approve' ? 'approved' : 'rejected'}`,
      );
    if (d.expectedRev !== undefined && postRev(post) !== d.expectedRev) {
      throw new Conflict(
        `post ${postId} changed since the version you reviewed: read the new version before deciding`,
        [{ path: 'expectedRev', message: 'the post was edited since this version' }],
      );
    }
    // The version guard holds of the post as read: what is left is its time.
    if (!decided.ok) throw new Conflict(`post ${postId} was due at ${post.scheduledAt}; its time has passed`);
    if (verb === 'approve' && (voiceId === post.voiceId || voiceId === post.editedBy)) {
      throw new Conflict(
        `${voice.name} wrote ${voiceId === post.voiceId ? 'this post' : 'its last edit'} and cannot approve it: another voice must`,
        [{ path: 'voiceId', message: 'the author cannot approve their own post' }],
      );
    }
    const approvers = account.approval?.approvers;
    if (approvers && !approvers.includes(voiceId)) {
      throw new Forbidden(`${voice.name} is not among this account's approvers`);
    }
    // A whole post, as an approved answer moves (scheduled now) and its index key with it.
    const next = decided.next;
    await this.deps.store.posts.commit(next, rule.when);
    const author = await this.deps.store.voices.find(ws, post.voiceId);
    await this.effects.run(decided.effects, {
      post: next,
      at: now,
      account,
      voice: author,
      data: { decision: { ...entry, voiceName: voice.name } },
    });
    return toPost(next, account.timezone);
  }
}
