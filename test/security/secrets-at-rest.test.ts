/**
 * Channel secrets at rest: webhook `whsec_` secrets (channels and
 * subscriptions), Mastodon tokens and Bluesky app passwords are sealed in the
 * table (a raw Scan through the real SDK finds none in clear), never read
 * back, and opened only to publish. Rows stored in clear by an older version
 * keep working and are sealed by the embedded runtime's boot pass.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { newId, newSigningSecret, type AccountRecord, type WebhookRecord } from '@drumbeat/core';
import { createLogger } from '@drumbeat/local';
import { dispatchTimers } from '../../packages/local/src/timer-dispatch.js';
import { sealStoredSecrets } from '../../packages/local/src/seal-stored-secrets.js';
import { accountBody, startWithVoice, type TestApi } from '../support/api.js';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';
import { APP_PASSWORD, blueskyStandIn, HANDLE } from '../support/bluesky-stand-in.js';

const MASTODON_TOKEN = 'mastodon-token-4f9a7c2e1b';

let api: TestApi;
let key: string;
let ws: string;
let voiceId: string;
let hook: HttpRecorder;
let mastodon: HttpRecorder;
let subscriber: HttpRecorder;
beforeAll(async () => {
  ({ api, key, ws, voiceId } = await startWithVoice(
    { name: 'Anna Bell', affiliation: 'agency' },
    { workspace: 'Sealed' },
  ));
  hook = await startRecorder((_r, res) => json(res, 200, {}));
  mastodon = await startRecorder((_r, res) => json(res, 200, { id: '1', url: 'https://m.example/@acme/1' }));
  subscriber = await startRecorder((_r, res) => json(res, 200, {}));
  api.scheduler.start(dispatchTimers(api.services, createLogger('silent')), { loop: false });
});
afterAll(async () => {
  await api.scheduler.stop();
  for (const r of [hook, mastodon, subscriber]) await r.close();
  await api.close();
});

const rawTable = async () =>
  JSON.stringify((await api.store.db.doc.send(new ScanCommand({ TableName: api.store.db.table }))).Items ?? []);

async function account(channel: Record<string, unknown>) {
  const r = await api.call('POST', '/v1/accounts', { key, body: accountBody({ cadence: undefined, channel }) });
  expect(r.status).toBe(201);
  return r.body as { id: string; channel: { secret?: string } };
}

async function publishOne(accountId: string, at: string) {
  const r = await api.call('POST', `/v1/accounts/${accountId}/posts`, {
    key,
    body: { text: 'Sealed hello', voiceId, at },
  });
  expect(r.status).toBe(201);
  api.clock.set(at);
  await api.scheduler.runDue();
  return (await api.call('GET', `/v1/posts/${r.body.id}`, { key })).body;
}

describe('channel secrets sealed at rest', () => {
  it('keeps no webhook secret, Mastodon token or Bluesky app password in clear in the table, and still publishes with each', async () => {
    const bsky = await blueskyStandIn();
    try {
      const web = await account({ type: 'webhook', url: hook.url });
      const mast = await account({ type: 'mastodon', instanceUrl: mastodon.url, accessToken: MASTODON_TOKEN });
      const blue = await account({ type: 'bluesky', service: bsky.url, identifier: HANDLE, appPassword: APP_PASSWORD });
      const sub = await api.call('POST', '/v1/webhooks', {
        key,
        body: { url: subscriber.url, events: ['post.published'] },
      });
      expect(sub.status).toBe(201);
      const rotated = await api.call('POST', `/v1/accounts/${web.id}/channel/rotate-secret`, { key });
      expect(rotated.status).toBe(200);
      const webSecret = rotated.body.channel.secret as string;
      const secrets = [web.channel.secret!, webSecret, sub.body.secret as string, MASTODON_TOKEN, APP_PASSWORD];
      for (const s of secrets) expect(s.length).toBeGreaterThan(8);

      const table = await rawTable();
      for (const s of secrets) expect(table.includes(s), `${s.slice(0, 8)}… in clear in the table`).toBe(false);
      // The whsec_ base64 body too (a receiver's library strips the prefix).
      for (const s of [webSecret, sub.body.secret as string])
        expect(table.includes(s.slice('whsec_'.length))).toBe(false);
      expect(table.match(/sealed\.v1\./g)?.length).toBeGreaterThanOrEqual(4);

      // Never read back.
      for (const id of [web.id, mast.id, blue.id]) {
        const got = JSON.stringify((await api.call('GET', `/v1/accounts/${id}`, { key })).body);
        for (const s of secrets) expect(got.includes(s)).toBe(false);
      }
      const listed =
        JSON.stringify((await api.call('GET', '/v1/accounts', { key })).body) +
        JSON.stringify((await api.call('GET', '/v1/webhooks', { key })).body);
      for (const s of secrets) expect(listed.includes(s)).toBe(false);

      // Opened where used: each channel receives its own secret.
      expect((await publishOne(web.id, '2026-11-23T11:00:00Z')).status).toBe('published');
      expect(() =>
        new Webhook(webSecret).verify(hook.requests.at(-1)!.body, hook.requests.at(-1)!.headers),
      ).not.toThrow();
      expect((await publishOne(mast.id, '2026-11-23T11:10:00Z')).status).toBe('published');
      expect(mastodon.requests.at(-1)!.headers.authorization).toBe(`Bearer ${MASTODON_TOKEN}`);
      expect((await publishOne(blue.id, '2026-11-23T11:20:00Z')).status).toBe('published');
      expect(bsky.calls('com.atproto.server.createSession')).toBe(1);
      // The subscription's deliveries are signed with its secret.
      api.clock.set('2026-11-23T11:30:00Z');
      await api.scheduler.runDue();
      expect(subscriber.requests.length).toBeGreaterThan(0);
      expect(() =>
        new Webhook(sub.body.secret).verify(subscriber.requests[0]!.body, subscriber.requests[0]!.headers),
      ).not.toThrow();

      const after = await rawTable();
      for (const s of secrets) expect(after.includes(s)).toBe(false);
    } finally {
      await bsky.close();
    }
  });

  it('keeps rows stored in clear by an older version working, and seals them at boot', async () => {
    const now = api.clock.now().toISOString();
    const legacySecret = newSigningSecret();
    const legacy: AccountRecord = {
      id: newId('account'),
      workspaceId: ws,
      name: 'Legacy',
      network: 'mastodon',
      handle: '@legacy',
      timezone: 'UTC',
      channel: { type: 'webhook', url: hook.url, secret: legacySecret },
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await api.store.accounts.create(ws, legacy);
    const subSecret = newSigningSecret();
    const legacySub: WebhookRecord = {
      id: newId('webhook'),
      workspaceId: ws,
      url: subscriber.url,
      events: ['post.failed'],
      secret: subSecret,
      createdAt: now,
      version: 1,
    };
    await api.store.webhooks.create(ws, legacySub);
    expect(await rawTable()).toContain(legacySecret);

    // Before the boot pass, the clear secret still signs.
    expect((await publishOne(legacy.id, '2026-11-23T12:00:00Z')).status).toBe('published');
    expect(() =>
      new Webhook(legacySecret).verify(hook.requests.at(-1)!.body, hook.requests.at(-1)!.headers),
    ).not.toThrow();

    expect(await sealStoredSecrets(api.store.db, api.services, api.clock.now())).toBe(2);
    const table = await rawTable();
    expect(table.includes(legacySecret)).toBe(false);
    expect(table.includes(subSecret)).toBe(false);
    // Once per data dir: a second boot does not scan again.
    expect(await sealStoredSecrets(api.store.db, api.services, api.clock.now())).toBe(0);

    // Sealed, the same secret still signs.
    expect((await publishOne(legacy.id, '2026-11-23T12:10:00Z')).status).toBe('published');
    expect(() =>
      new Webhook(legacySecret).verify(hook.requests.at(-1)!.body, hook.requests.at(-1)!.headers),
    ).not.toThrow();
  });
});
