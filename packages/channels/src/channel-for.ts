import type { Channel, ChannelConfig } from '@drumbeat/core';
import { BlueskyChannel } from './bluesky-channel.js';
import type { ChannelDeps } from './channel-deps.js';
import { ManualChannel } from './manual-channel.js';
import { MastodonChannel } from './mastodon-channel.js';
import { WebhookChannel } from './webhook-channel.js';

/** The Channel implementation for a stored channel config. */
export function channelFor(config: ChannelConfig, deps: ChannelDeps): Channel {
  switch (config.type) {
    case 'webhook':
      return new WebhookChannel(config, deps);
    case 'mastodon':
      return new MastodonChannel(config, deps);
    case 'bluesky':
      return new BlueskyChannel(config, deps);
    case 'manual':
      return new ManualChannel();
  }
}
