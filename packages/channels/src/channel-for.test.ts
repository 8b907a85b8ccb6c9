import { describe, expect, it } from 'vitest';
import { BlueskyChannel } from './bluesky-channel.js';
import { channelFor } from './channel-for.js';
import { ManualChannel } from './manual-channel.js';
import { MastodonChannel } from './mastodon-channel.js';
import { channelSupportsMedia } from './media-support.js';
import { WebhookChannel } from './webhook-channel.js';

const deps = {
  timeoutMs: 1000,
  allowPrivate: false,
  fetch: () => Promise.reject(new Error('no network in this test')),
};

describe('channelFor', () => {
  it('picks the implementation of each channel type', () => {
    expect(channelFor({ type: 'webhook', url: 'https://a.example', secret: 'whsec_AAAA' }, deps)).toBeInstanceOf(
      WebhookChannel,
    );
    expect(channelFor({ type: 'mastodon', instanceUrl: 'https://m.example', accessToken: 't' }, deps)).toBeInstanceOf(
      MastodonChannel,
    );
    expect(
      channelFor({ type: 'bluesky', service: 'https://b.example', identifier: 'a', appPassword: 'p' }, deps),
    ).toBeInstanceOf(BlueskyChannel);
    expect(channelFor({ type: 'manual' }, deps)).toBeInstanceOf(ManualChannel);
  });

  it('publishes manual posts without any network call', async () => {
    const calls: string[] = [];
    const channel = channelFor(
      { type: 'manual' },
      { ...deps, fetch: async (url) => (calls.push(url), Promise.reject(new Error())) },
    );
    const req = {
      workspaceId: 'ws',
      postId: 'p',
      idempotencyKey: 'k',
      text: 't',
      media: [],
      scheduledAt: '',
      channel: { type: 'manual' as const },
      event: { type: 'post.publish' as const, timestamp: '', data: {} },
    };
    await expect(channel.publish(req)).resolves.toEqual({});
    expect(calls).toEqual([]);
  });

  it('says which channels publish media', () => {
    expect(['webhook', 'manual', 'mastodon', 'bluesky'].map((t) => channelSupportsMedia(t as never))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
