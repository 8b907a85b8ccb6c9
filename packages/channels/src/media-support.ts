import { ChannelError, channelSupportsMedia, type ChannelType } from '@drumbeat/core';

export { channelSupportsMedia };

/** Throws a final ChannelError when a post has media its channel cannot publish. */
export function refuseMedia(type: ChannelType, media: readonly unknown[]): void {
  if (media.length > 0 && !channelSupportsMedia(type)) {
    throw new ChannelError(
      `${type}: posts with media are not supported on this channel yet (media upload is out of scope); remove the media or use a webhook or manual channel`,
      false,
    );
  }
}
