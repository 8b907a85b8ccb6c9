import type { Channel, ChannelConfig, ConversationSource, UrlPolicy, WebhookSender } from '@drumbeat/core';

/** The outbound side's settings: private addresses (never on AWS) and each call's timeout. */
export interface OutboundOptions {
  allowPrivate: boolean;
  timeoutMs: number;
}

/** The channel types that can listen: those `sourceFor` answers a source for (lazy-channels.test.ts checks it). */
const LISTENING_TYPES: ReadonlySet<ChannelConfig['type']> = new Set(['mastodon', 'bluesky']);

const channels = () => import('@drumbeat/channels');

/**
 * The channels' ports, with the channels' code (networks, egress checks,
 * signing) loaded by the first call that reaches out, not by building the
 * services: every port is one async method, so nothing else changes. A
 * request that calls no network (most of them) never loads it.
 */
export function lazyChannels(opts: OutboundOptions): {
  urlPolicy: UrlPolicy;
  webhookSender: WebhookSender;
  channelFor: (config: ChannelConfig) => Channel;
  sourceFor: (config: ChannelConfig) => ConversationSource | undefined;
} {
  return {
    urlPolicy: {
      check: async (url, path) =>
        (await channels()).egressUrlPolicy({ allowPrivate: opts.allowPrivate }).check(url, path),
    },
    webhookSender: { send: async (req) => (await channels()).signedWebhookSender(opts).send(req) },
    channelFor: (config) => ({ publish: async (req) => (await channels()).channelFor(config, opts).publish(req) }),
    sourceFor: (config) =>
      LISTENING_TYPES.has(config.type)
        ? { poll: async (req) => (await channels()).sourceFor(config, opts)!.poll(req) }
        : undefined,
  };
}
