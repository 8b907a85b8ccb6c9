import { z } from 'zod';
import { Url } from './common.js';

export const WebhookChannelIn = z.strictObject({
  type: z.literal('webhook'),
  url: Url.meta({ description: "The agency tool's endpoint; receives post.publish signed per Standard Webhooks" }),
});
export const MastodonChannelIn = z.strictObject({
  type: z.literal('mastodon'),
  instanceUrl: Url.meta({ example: 'https://mastodon.social' }),
  accessToken: z.string().min(1).max(512).meta({ description: 'Write-only' }),
});
export const BlueskyChannelIn = z.strictObject({
  type: z.literal('bluesky'),
  service: Url.default('https://bsky.social'),
  identifier: z.string().min(1).max(253).meta({ example: 'acme.bsky.social' }),
  appPassword: z.string().min(1).max(256).meta({ description: 'Write-only' }),
});
export const ManualChannelIn = z.strictObject({ type: z.literal('manual') });

export const ChannelIn = z
  .discriminatedUnion('type', [WebhookChannelIn, MastodonChannelIn, BlueskyChannelIn, ManualChannelIn])
  .meta({ id: 'ChannelIn', description: 'Where posts go at their time', example: { type: 'webhook', url: 'https://tools.agency.example/hooks/drumbeat' } });
export type ChannelIn = z.infer<typeof ChannelIn>;

/** A channel as stored: the input plus the webhook signing secret. Never returned as is. */
export type ChannelConfig =
  | (z.infer<typeof WebhookChannelIn> & { secret: string })
  | z.infer<typeof MastodonChannelIn>
  | z.infer<typeof BlueskyChannelIn>
  | z.infer<typeof ManualChannelIn>;
export type ChannelType = ChannelConfig['type'];

export const ChannelOut = z
  .object({
    type: z.enum(['webhook', 'mastodon', 'bluesky', 'manual']),
    url: z.string().optional(),
    instanceUrl: z.string().optional(),
    service: z.string().optional(),
    identifier: z.string().optional(),
    secret: z.string().optional().meta({ description: 'webhook only, returned once at creation or rotation' }),
  })
  .meta({ id: 'Channel', description: 'The channel without its secrets', example: { type: 'mastodon', instanceUrl: 'https://mastodon.social' } });
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
