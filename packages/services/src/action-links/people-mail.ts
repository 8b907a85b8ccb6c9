import { loggerOf } from '../logger.js';
import type { DomainEvent, EventSink } from '@drumbeat/core';
import type { ServiceDeps } from '../deps.js';
import type { ActionLinks } from './action-links.js';
import type { ReviewDigests } from './review-digest.js';
import { changesRequestedEmail } from './review-email.js';

/**
 * The emails people act on, sent where the events that call for them are
 * announced (after the change is stored): an approval request to each allowed
 * approver with an email when a post starts waiting (`post.review_requested`),
 * gathered in that person's digest (several posts within a few minutes make
 * one email, see ReviewDigests),
 * and the author's note when a reviewer asks for changes (`post.rejected`).
 * Wraps the webhook sink: subscribers get every event as before. A mail
 * failure is logged, never fails the change that was already made.
 */
export class PeopleMail implements EventSink {
  constructor(
    private readonly inner: EventSink,
    private readonly deps: ServiceDeps,
    private readonly links: ActionLinks,
    private readonly digests: ReviewDigests,
  ) {}

  async emit(ws: string, e: DomainEvent): Promise<void> {
    await this.inner.emit(ws, e);
    const post = (e.data.post as { id?: string } | undefined)?.id;
    if (!post) return;
    try {
      if (e.type === 'post.review_requested') await this.requestReviews(ws, post);
      else if (e.type === 'post.rejected')
        await this.tellAuthor(ws, post, e.data.decision as { voiceId: string; note?: string });
    } catch (err) {
      loggerOf(this.deps).error({ type: e.type, workspace: ws, post, err: String(err) }, 'people email not sent');
    }
  }

  /** The post joins the digest of each allowed approver with an address (their email, with their own review link, goes out at its timer). */
  private async requestReviews(ws: string, postId: string): Promise<void> {
    const post = await this.deps.store.posts.get(ws, postId);
    if (post.status !== 'pending_approval') return;
    const account = await this.deps.store.accounts.get(ws, post.accountId);
    for (const reviewer of await this.links.approversOf(account, post)) {
      if (reviewer.email) await this.digests.add(ws, reviewer.id, post.id);
    }
  }

  private async tellAuthor(ws: string, postId: string, decision: { voiceId: string; note?: string }): Promise<void> {
    const post = await this.deps.store.posts.get(ws, postId);
    const author = await this.deps.store.voices.get(ws, post.voiceId);
    if (!author.email) return;
    const account = await this.deps.store.accounts.get(ws, post.accountId);
    const reviewer = await this.deps.store.voices.get(ws, decision.voiceId);
    await this.deps.mailer.send(
      changesRequestedEmail(
        author,
        reviewer,
        post,
        account,
        decision.note,
        `${this.deps.publicUrl}/app/accounts/${account.id}/calendar`,
      ),
    );
  }
}
