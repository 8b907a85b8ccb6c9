import type { PostRecord } from '../records.js';
import { toLocal } from '@drumbeat/standards/time';
import type { AlertCondition } from './condition.js';

/** The publish_failed condition of a post that failed for good, with why. */
export function failureCondition(post: PostRecord, reason: string, timezone: string): AlertCondition {
  return {
    kind: 'publish_failed',
    postId: post.id,
    details: {
      summary: 'a post failed to publish',
      postId: post.id,
      scheduledAt: post.scheduledAt,
      scheduledLocal: toLocal(new Date(post.scheduledAt), timezone),
      reason,
    },
  };
}
