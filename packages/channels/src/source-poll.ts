import { ChannelError, type InboundItem, type OutsideReply, type PollRequest, type PollResult } from '@drumbeat/core';
import { budgetSpent } from './source-http.js';

export interface SourceOptions {
  /** Items per page asked for (Mastodon allows up to 80 notifications, Bluesky 100). */
  pageSize?: number;
  /** Pages one poll reads at most; the rest waits for the next poll (the cursor remembers where). */
  maxPages?: number;
  now?: () => number;
}

/**
 * Reads a source's pages in order, at most `max`: `fetch(n)` gets page n
 * (from 0), `take(reply)` takes in what it holds and answers whether to stop
 * there. A retryable refusal of a later page (or of the first as well, when
 * `keepOnFailure`: what was read before it is kept) stops the reading: it
 * answers the wait the refusal asked for (60 s when it said none). Any other
 * failure is thrown; undefined when no page was refused.
 */
export async function readPages<R>(
  max: number,
  keepOnFailure: boolean,
  fetch: (page: number) => Promise<R>,
  take: (reply: R) => boolean,
): Promise<number | undefined> {
  for (let page = 0; page < max; page++) {
    let reply: R;
    try {
      reply = await fetch(page);
    } catch (err) {
      if ((keepOnFailure || page > 0) && err instanceof ChannelError && err.retryable)
        return err.retryAfterMs ?? 60_000;
      throw err;
    }
    if (take(reply)) break;
  }
  return undefined;
}

/** What one poll gathers as it reads: the items, our own replies made outside drumbeat, and the wait to keep before the next poll. */
export class PollState {
  readonly items = new Map<string, InboundItem>();
  readonly outsideReplies: OutsideReply[] = [];
  wait: number | undefined;
  private ownPostsRead = false;

  constructor(private readonly now: () => number) {}

  /** Takes an inbound item, once by its id. */
  take(item: InboundItem | undefined): void {
    if (item && !this.items.has(item.externalId)) this.items.set(item.externalId, item);
  }

  /** Whether an answer's rate budget is spent; the wait until it is back is then kept. */
  spent(headers: Headers): boolean {
    this.wait = budgetSpent(headers, this.now());
    return this.wait !== undefined;
  }

  /**
   * Looks at our own posts, when nothing holds the poll off and it asks to
   * (`ownPosts`): `look(out, keepOnFailure)` pushes the replies it finds and
   * answers the wait of a refusal it absorbed (`keepOnFailure`: items were
   * read, and are not lost for it), undefined when the look completed.
   */
  async lookAtOwnPosts(
    req: PollRequest,
    look: (out: OutsideReply[], keepOnFailure: boolean) => Promise<number | undefined>,
  ): Promise<void> {
    if (this.wait !== undefined || req.ownPosts === false) return;
    const refused = await look(this.outsideReplies, this.items.size > 0);
    if (refused === undefined) this.ownPostsRead = true;
    else this.wait = refused;
  }

  /** What the poll answers, with the cursor to keep. */
  result(cursor: object): PollResult {
    return {
      items: [...this.items.values()],
      outsideReplies: this.outsideReplies,
      cursor: JSON.stringify(cursor),
      ...(this.wait === undefined ? {} : { retryAfterMs: this.wait }),
      ...(this.ownPostsRead ? { ownPostsRead: true } : {}),
    };
  }
}
