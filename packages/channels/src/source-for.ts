import type { ChannelConfig, ConversationSource } from '@drumbeat/core';
import { BlueskySource } from './bluesky-source.js';
import type { ChannelDeps } from './channel-deps.js';
import { MastodonSource } from './mastodon-source.js';
import type { SourceOptions } from './source-poll.js';

/** The ConversationSource that listens through a channel config; undefined for channels that cannot listen (webhook, manual: they ingest through the API). */
export function sourceFor(
  config: ChannelConfig,
  deps: ChannelDeps,
  opts: SourceOptions = {},
): ConversationSource | undefined {
  switch (config.type) {
    case 'mastodon':
      return new MastodonSource(config, deps, opts);
    case 'bluesky':
      return new BlueskySource(config, deps, opts);
    default:
      return undefined;
  }
}
