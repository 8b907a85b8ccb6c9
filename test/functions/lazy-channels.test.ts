import { describe, expect, it } from 'vitest';
import type { ChannelConfig } from '@drumbeat/core';
import { sourceFor } from '@drumbeat/channels';
import { lazyChannels } from '../../functions/lazy-channels.js';

const opts = { allowPrivate: false, timeoutMs: 1_000 };

describe("the Lambda functions' channels, loaded by the first outbound call", () => {
  it('answer a source for exactly the channel types the channels package does', () => {
    const configs = [
      { type: 'webhook', url: 'https://hooks.example/x' },
      { type: 'mastodon', instance: 'https://mastodon.example', accessToken: 't' },
      { type: 'bluesky', handle: 'a.bsky.social', appPassword: 'p' },
      { type: 'manual' },
    ] as unknown as ChannelConfig[];
    for (const c of configs)
      expect(lazyChannels(opts).sourceFor(c) === undefined, c.type).toBe(sourceFor(c, opts) === undefined);
  });

  it('refuse a private address as the eager egress policy does', async () => {
    await expect(lazyChannels(opts).urlPolicy.check('https://127.0.0.1/hook', 'url')).rejects.toThrow();
    await expect(lazyChannels(opts).urlPolicy.check('http://example.com/hook', 'url')).rejects.toThrow();
  });
});
