import { ChannelError, type ChannelType } from '@drumbeat/core';

/**
 * Whether a channel publishes a post's media. Webhook receivers get the media
 * URLs in the event and a person posting a manual reminder has them; Mastodon
 * and Bluesky would need an upload step (media endpoints, blobs) that drumbeat
 * does not do yet, so their channels refuse posts with media rather than
 * publish something other than what was approved.
 */
export function channelSupportsMedia(type: ChannelType): boolean {
  return type === 'webhook' || type === 'manual';
}

/** Throws a final ChannelError when a post has media its channel cannot publish. */
export function refuseMedia(type: ChannelType, media: readonly unknown[]): void {
  if (media.length > 0 && !channelSupportsMedia(type)) {
    throw new ChannelError(`${type}: posts with media are not supported on this channel yet (media upload is out of scope); remove the media or use a webhook or manual channel`, false);
  }
}
