import { Conflict, Forbidden, Invalid, toPost, type EventSink, type Post, type PostRecord } from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import type { AccountHooks } from './account-hooks.js';
import { announce, event, postEventData } from './event-data.js';

/** What an approver says: which voice decides, and why. */
export interface Decision {
  voiceId: string;
  note?: string | undefined;
}

/**
 * Fast, honest approvals. A post of an account that requires approval waits
 * in pending_approval; one approval by an allowed voice schedules it. The
 * author (and the voice that last edited it) can never approve it; when the
 * account names approvers, only they can. A rejection is recorded and keeps
 * the post pending until it is edited (which starts a new round) or its time
 * passes (then it is missed).
 */
export class ApprovalService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly events: EventSink,
    private readonly hooks: AccountHooks,
  ) {}

  /** Approves a pending post: it becomes scheduled. */
  approve(ws: string, postId: string, d: Decision): Promise<Post> {
    return this.decide(ws, postId, d, 'approve');
  }

  /** Rejects a pending post: recorded; the post stays pending until edited. */
  reject(ws: string, postId: string, d: Decision): Promise<Post> {
    return this.decide(ws, postId, d, 'reject');
  }

  private async decide(ws: string, postId: string, d: Decision, verb: 'approve' | 'reject'): Promise<Post> {
    const post = await this.deps.store.posts.get(ws, postId);
    const account = await this.deps.store.accounts.get(ws, post.accountId);
    const voice = await this.deps.store.voices.find(ws, d.voiceId);
    if (!voice) throw new Invalid(`voiceId: voice ${d.voiceId} not found`, [{ path: 'voiceId', message: `voice ${d.voiceId} not found in this workspace` }], 422);
    if (voice.archivedAt) throw new Invalid('voiceId: the voice is archived', [{ path: 'voiceId', message: 'voice is archived' }], 422);
    if (post.status !== 'pending_approval') throw new Conflict(`post ${postId} is ${post.status}; only a post pending approval can be ${verb === 'approve' ? 'approved' : 'rejected'}`);
    const now = this.deps.clock.now();
    if (Date.parse(post.scheduledAt) <= now.getTime()) throw new Conflict(`post ${postId} was due at ${post.scheduledAt}; its time has passed`);
    if (verb === 'approve' && (d.voiceId === post.voiceId || d.voiceId === post.editedBy)) {
      throw new Conflict(`${voice.name} wrote ${d.voiceId === post.voiceId ? 'this post' : 'its last edit'} and cannot approve it: another voice must`, [
        { path: 'voiceId', message: 'the author cannot approve their own post' },
      ]);
    }
    const approvers = account.approval?.approvers;
    if (approvers && !approvers.includes(d.voiceId)) {
      throw new Forbidden(`${voice.name} is not among this account's approvers`);
    }
    const entry = { voiceId: d.voiceId, at: now.toISOString(), ...(d.note ? { note: d.note } : {}) };
    const next: PostRecord =
      verb === 'approve'
        ? { ...post, status: 'scheduled', approvals: [...post.approvals, entry], updatedAt: now.toISOString(), version: post.version + 1 }
        : { ...post, rejections: [...(post.rejections ?? []), entry], updatedAt: now.toISOString(), version: post.version + 1 };
    await this.deps.store.posts.replace(next, post.version, ['pending_approval']);
    const author = await this.deps.store.voices.find(ws, post.voiceId);
    await announce(this.events, ws, event(verb === 'approve' ? 'post.approved' : 'post.rejected', now, { ...postEventData(next, account, author), decision: { ...entry, voiceName: voice.name } }));
    await this.hooks.postsChanged(ws, account.id);
    return toPost(next, account.timezone);
  }
}
