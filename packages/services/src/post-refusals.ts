import { Conflict, guardField, type Guard, type PostRecord } from '@drumbeat/core';

/**
 * The Conflict a user sees when the post lifecycle refuses an edit or a
 * cancellation of the post as read, by the guard that refused it (the
 * guards of core's editGuards).
 */
export function editRefused(p: PostRecord, refused: Guard, what: 'edited' | 'canceled'): Conflict {
  switch (guardField(refused)) {
    // The version a page showed (a form's hidden version): the write that follows is conditional on it.
    case 'version':
      return new Conflict(
        `post ${p.id} changed since this page showed it (it is now ${p.status.replace('_', ' ')}); look at it again before changing it`,
      );
    // An earlier attempt may already have published it (its answer was lost): changing it now would
    // make the record disagree with what is live. The retry under the same key settles it.
    case 'outcomeUnknownSince': {
      const retry = p.retryAt ? `; the retry at ${p.retryAt} will find out` : '';
      return new Conflict(
        `post ${p.id} may already be live: the attempt of ${p.outcomeUnknownSince} was sent but its answer was lost, so it cannot be ${what} until the outcome is known${retry}`,
      );
    }
    default:
      return new Conflict(`post ${p.id} is ${p.status}; only pending or scheduled posts can be ${what}`);
  }
}
