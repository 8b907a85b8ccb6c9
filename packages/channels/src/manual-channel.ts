import type { Channel, PublishRequest, PublishResult } from '@drumbeat/core';

/**
 * The manual channel: publishing is a person's job. It makes no network call
 * and returns no URL; the services layer emails the reminder and the post is
 * marked published through `POST /v1/posts/{id}/published`.
 */
export class ManualChannel implements Channel {
  /** Accepts the post and does nothing else. */
  async publish(_req: PublishRequest): Promise<PublishResult> {
    return {};
  }
}
