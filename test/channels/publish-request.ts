/** A PublishRequest as the services layer builds it, for channel tests. */
import { newId, type ChannelConfig, type PublishRequest } from '@drumbeat/core';

/** A request for a fresh post on `channel`; `over` replaces any field. */
export function publishRequest(channel: ChannelConfig, over: Partial<PublishRequest> = {}): PublishRequest {
  const postId = over.postId ?? newId('post');
  const text = over.text ?? 'Spring collection is live! https://acme.example/spring';
  return {
    workspaceId: 'ws_01hzzzzzzzzzzzzzzzzzzzzzzz',
    postId,
    idempotencyKey: postId,
    text,
    media: [],
    scheduledAt: '2026-03-02T14:30:00.000Z',
    channel,
    event: {
      type: 'post.publish',
      timestamp: '2026-03-02T14:30:00.000Z',
      data: {
        post: { id: postId, text },
        account: { id: 'acc_1', handle: 'acme' },
        voice: { id: 'vce_1', name: 'Anna' },
      },
    },
    ...over,
  };
}
