import * as z from 'zod/mini';
import { noControlChars, Url } from './common.js';
import { withMeta } from './with-meta.js';

export const WebhookChannelIn = z.strictObject({
  type: z.literal('webhook'),
  url: withMeta(Url, { description: "The agency tool's endpoint; receives post.publish signed per Standard Webhooks" }),
});
export const MastodonChannelIn = z.strictObject({
  type: z.literal('mastodon'),
  instanceUrl: withMeta(Url, { example: 'https://mastodon.social' }),
  accessToken: withMeta(z.string().check(z.minLength(1), z.maxLength(512)), { description: 'Write-only' }),
});
export const BlueskyChannelIn = z.strictObject({
  type: z.literal('bluesky'),
  service: z._default(Url, 'https://bsky.social'),
  identifier: withMeta(z.string().check(z.minLength(1), z.maxLength(253), noControlChars), {
    example: 'acme.bsky.social',
  }),
  appPassword: withMeta(z.string().check(z.minLength(1), z.maxLength(256)), { description: 'Write-only' }),
});
export const ManualChannelIn = z.strictObject({ type: z.literal('manual') });

export const ChannelIn = withMeta(
  z.discriminatedUnion('type', [WebhookChannelIn, MastodonChannelIn, BlueskyChannelIn, ManualChannelIn]),
  {
    id: 'ChannelIn',
    description: 'Where posts go at their time',
    example: { type: 'webhook', url: 'https://tools.agency.example/hooks/drumbeat' },
  },
);
export type ChannelIn = z.infer<typeof ChannelIn>;

/** A channel as stored: the input plus the webhook signing secret. Never returned as is. */
export type ChannelConfig =
  | (z.infer<typeof WebhookChannelIn> & { secret: string })
  | z.infer<typeof MastodonChannelIn>
  | z.infer<typeof BlueskyChannelIn>
  | z.infer<typeof ManualChannelIn>;
export type ChannelType = ChannelConfig['type'];

export const ChannelOut = withMeta(
  z.object({
    type: z.enum(['webhook', 'mastodon', 'bluesky', 'manual']),
    url: z.optional(z.string()),
    instanceUrl: z.optional(z.string()),
    service: z.optional(z.string()),
    identifier: z.optional(z.string()),
    secret: withMeta(z.optional(z.string()), { description: 'webhook only, returned once at creation or rotation' }),
  }),
  {
    id: 'Channel',
    description: 'The channel without its secrets',
    example: { type: 'mastodon', instanceUrl: 'https://mastodon.social' },
  },
);
export type ChannelOut = z.infer<typeof ChannelOut>;

/** The channel with every secret removed: what reads return. */
export function publicChannel(c: ChannelConfig): ChannelOut {
  switch (c.type) {
    case 'webhook':
      return { type: c.type, url: c.url };
    case 'mastodon':
      return { type: c.type, instanceUrl: c.instanceUrl };
    case 'bluesky':
      return { type: c.type, service: c.service, identifier: c.identifier };
    case 'manual':
      return { type: c.type };
  }
}

/** The outbound URLs of a channel, for the egress policy. */
export function channelUrls(c: ChannelIn): { path: string; url: string }[] {
  switch (c.type) {
    case 'webhook':
      return [{ path: 'channel.url', url: c.url }];
    case 'mastodon':
      return [{ path: 'channel.instanceUrl', url: c.instanceUrl }];
    case 'bluesky':
      return [{ path: 'channel.service', url: c.service }];
    case 'manual':
      return [];
  }
}

/**
 * Whether a channel publishes a post's media. Webhook receivers get the media
 * URLs and a person posting a manual reminder has them; Mastodon and Bluesky
 * would need an upload step drumbeat does not do yet, so posts with media are
 * refused for them when scheduled rather than published without their media.
 */
export function channelSupportsMedia(type: ChannelType): boolean {
  return type === 'webhook' || type === 'manual';
}
