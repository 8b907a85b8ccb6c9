/**
 * The Bluesky session through the whole publish path: one login for the
 * account's posts, kept sealed in the table (never a token in clear), and the
 * account's language on each post.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tidForPost } from '@drumbeat/channels';
import { createLogger } from '@drumbeat/local';
import { dispatchTimers } from '../../packages/local/src/timer-dispatch.js';
import { accountBody, startWithVoice, type TestApi } from '../support/api.js';
import { APP_PASSWORD, blueskyStandIn, HANDLE } from '../support/bluesky-stand-in.js';

let api: TestApi;
let key: string;
let voiceId: string;
beforeAll(async () => {
  ({ api, key, voiceId } = await startWithVoice(
    { name: 'Anna Bell', affiliation: 'agency' },
    { workspace: 'Sessions' },
  ));
  api.scheduler.start(dispatchTimers(api.services, createLogger('silent')), { loop: false });
});
afterAll(async () => {
  await api.scheduler.stop();
  await api.close();
});

describe('bluesky sessions through the publisher', () => {
  it('logs in once for many posts, keeps the session sealed in the table, and tags posts with the account language', async () => {
    const p = await blueskyStandIn();
    try {
      const acc = await api.call('POST', '/v1/accounts', {
        key,
        body: accountBody({
          network: 'bluesky',
          handle: HANDLE,
          language: 'FR-fr',
          channel: { type: 'bluesky', service: p.url, identifier: HANDLE, appPassword: APP_PASSWORD },
        }),
      });
      expect(acc.status).toBe(201);
      expect(acc.body.language).toBe('fr-FR');
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await api.call('POST', `/v1/accounts/${acc.body.id}/posts`, {
          key,
          body: { text: `Post ${i}`, voiceId, at: `2026-11-23T1${i + 1}:00:00Z` },
        });
        ids.push(r.body.id);
      }
      for (let i = 0; i < 4; i++) {
        api.clock.set(`2026-11-23T1${i + 1}:00:00Z`);
        await api.scheduler.runDue();
      }
      for (const id of ids) expect((await api.call('GET', `/v1/posts/${id}`, { key })).body.status).toBe('published');
      expect(p.calls('com.atproto.server.createSession')).toBe(1);
      expect(p.records.get(tidForPost(ids[0]!))!.langs).toEqual(['fr-FR']);

      const items = (await api.store.db.doc.send(new ScanCommand({ TableName: api.store.db.table }))).Items ?? [];
      const kept = items.filter((i) => String(i.sk).startsWith('CHANSESSION#'));
      expect(kept).toHaveLength(1);
      expect(String(kept[0]!.sealed)).toMatch(/^sealed\.v1\./);
      // No token the PDS issued appears anywhere in the table.
      const tokens = p.requests
        .filter((r) => r.headers.authorization?.startsWith('Bearer '))
        .map((r) => r.headers.authorization!.slice(7));
      expect(tokens.length).toBeGreaterThan(0);
      const table = JSON.stringify(items);
      for (const t of new Set(tokens)) expect(table.includes(t.split('.')[1]!)).toBe(false);

      // The language can be removed again.
      const patched = await api.call('PATCH', `/v1/accounts/${acc.body.id}`, { key, body: { language: null } });
      expect(patched.status).toBe(200);
      expect(patched.body.language).toBeUndefined();
      const bad = await api.call('PATCH', `/v1/accounts/${acc.body.id}`, { key, body: { language: 'not a language' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe('language');
    } finally {
      await p.close();
    }
  });
});
