import { describe, expect, it } from 'vitest';
import type { AccountRecord, AlertRecord } from '@drumbeat/core';
import { alertEmail, localLabel } from './alert-email.js';
import { digestEmail } from './digest-email.js';

const account: AccountRecord = {
  id: 'acc_1',
  workspaceId: 'ws_1',
  name: 'Acme <Coffee> & Co',
  network: 'mastodon',
  handle: '@acme',
  timezone: 'America/New_York',
  channel: { type: 'manual' },
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  version: 1,
};

const alert = (over: Partial<AlertRecord>): AlertRecord => ({
  id: 'alr_1',
  workspaceId: 'ws_1',
  accountId: 'acc_1',
  kind: 'cadence_lapsed',
  dedupeKey: 'acc_1#cadence_lapsed',
  openedAt: '2026-11-25T11:00:00.000Z',
  details: {
    summary: 'no post for 3 days',
    reason: 'max_gap',
    maxGap: 'PT48H',
    lastPublishedAt: '2026-11-22T11:00:00.000Z',
    silentSince: '2026-11-22T11:00:00.000Z',
  },
  updatedAt: '2026-11-25T11:00:00.000Z',
  version: 1,
  ...over,
});

describe('the alert email', () => {
  it('names the account and the problem in the subject, and escapes what it puts in HTML', () => {
    const m = alertEmail([alert({})], account, 'https://drumbeat.acme.example/', ['a@acme.example']);
    expect(m.subject).toBe('@acme on Mastodon: no post for 3 days');
    expect(m.text).toContain('Acme <Coffee> & Co (@acme on Mastodon) needs attention.');
    expect(m.html).toContain('Acme &#60;Coffee&#62; &#38; Co');
    expect(m.html).not.toContain('<Coffee>');
    expect(m.text).toContain('Nothing has been published since Sun, 22 Nov 2026, 06:00 (America/New_York)');
    expect(m.text).toContain('https://drumbeat.acme.example/app/accounts/acc_1/calendar');
    expect(m.headers).toMatchObject({
      'Message-ID': '<alert.alr_1@drumbeat.acme.example>',
      'X-Drumbeat-Alert': 'alr_1',
    });
  });

  it('names the network once when the account name already says it, and reads durations as words', () => {
    const onMastodon = { ...account, name: 'Acme on Mastodon' };
    const m = alertEmail(
      [
        alert({
          details: {
            summary: 'no post for 30 seconds',
            reason: 'max_gap',
            maxGap: 'PT30S',
            silentSince: '2026-11-22T11:00:00.000Z',
          },
        }),
      ],
      onMastodon,
      'https://d.example',
      ['a@acme.example'],
    );
    expect(m.text.split('\n')[0]).toBe('Acme on Mastodon (@acme) needs attention.');
    expect(m.text).toContain('it allows at most 30 seconds between posts.');
    expect(m.text).not.toContain('PT30S');
    const minPosts = alertEmail(
      [
        alert({
          details: {
            summary: 'too few',
            reason: 'min_posts',
            minPosts: { count: 1, per: 'P7D' },
            publishedInWindow: 0,
          },
        }),
      ],
      account,
      'https://d.example',
      ['a@acme.example'],
    );
    expect(minPosts.text).toContain('at least 1 post every 7 days; 0 went out');
  });

  it('is one digest for several alerts, with a section each and the empty slots in local time', () => {
    const slots = alert({
      id: 'alr_2',
      kind: 'empty_slots',
      details: {
        summary: '2 empty slots in the next 7 days',
        emptyCount: 2,
        lookahead: 'P7D',
        emptySlots: [
          { at: '2026-11-27T14:30:00.000Z', local: 'x' },
          { at: '2026-11-30T14:30:00.000Z', local: 'y' },
        ],
      },
    });
    const m = alertEmail([alert({}), slots], account, 'http://127.0.0.1:8787', ['a@acme.example']);
    expect(m.subject).toBe('@acme on Mastodon: 2 alerts — no post for 3 days; 2 empty slots in the next 7 days');
    expect(m.text).toMatch(/1\. No post for 3 days[\s\S]*2\. 2 empty slots in the next 7 days/);
    expect(m.text).toContain('  - Fri, 27 Nov 2026, 09:30 (America/New_York) — 2026-11-27T14:30:00.000Z');
    expect(m.html).toContain('<li>Mon, 30 Nov 2026, 09:30 (America/New_York) — 2026-11-30T14:30:00.000Z</li>');
    expect(m.headers?.['X-Drumbeat-Alert']).toBe('alr_1, alr_2');
    expect(m.headers?.['Message-ID']).toBe('<alerts.alr_1.2@drumbeat.local>');
  });

  it('reads times in the account zone whatever the host zone', () => {
    expect(localLabel('2026-03-08T07:30:00Z', 'America/New_York')).toBe('Sun, 8 Mar 2026, 03:30 (America/New_York)');
  });
});

describe('the workspace digest', () => {
  const shop: AccountRecord = {
    ...account,
    id: 'acc_2',
    name: 'Acme <Shop>',
    handle: '@acme_shop',
    network: 'bluesky',
    timezone: 'Europe/Paris',
  };
  const slots = alert({
    id: 'alr_3',
    accountId: 'acc_2',
    kind: 'empty_slots',
    dedupeKey: 'acc_2#empty_slots',
    details: {
      summary: '1 empty slot in the next 7 days',
      emptyCount: 1,
      lookahead: 'P7D',
      emptySlots: [{ at: '2026-11-27T14:30:00.000Z', local: 'x' }],
    },
  });
  const failed = alert({
    id: 'alr_4',
    accountId: 'acc_2',
    kind: 'publish_failed',
    postId: 'pst_9',
    details: { summary: 'a post failed to publish', postId: 'pst_9', reason: 'HTTP 422' },
  });

  it('has a section per account, each naming it, with its alerts, calendar and times in its own zone', () => {
    const m = digestEmail(
      [
        { account, alerts: [alert({})] },
        { account: shop, alerts: [slots, failed] },
      ],
      'https://drumbeat.acme.example',
      ['a@acme.example'],
    );
    expect(m.subject).toBe(
      '3 alerts on 2 accounts: @acme on Mastodon: no post for 3 days; @acme_shop on Bluesky: 1 empty slot in the next 7 days, a post failed to publish',
    );
    expect(m.text).toMatch(
      /== @acme on Mastodon: Acme <Coffee> & Co ==[\s\S]*No post for 3 days[\s\S]*Calendar: https:\/\/drumbeat.acme.example\/app\/accounts\/acc_1\/calendar/,
    );
    expect(m.text).toMatch(
      /== @acme_shop on Bluesky: Acme <Shop> ==\n\n1\. 1 empty slot in the next 7 days[\s\S]*Fri, 27 Nov 2026, 15:30 \(Europe\/Paris\)[\s\S]*2\. A post failed to publish/,
    );
    expect(m.text).toContain('Nothing has been published since Sun, 22 Nov 2026, 06:00 (America/New_York)');
    expect(m.html).toContain('<h2 style="font-size:1.2em">@acme_shop on Bluesky: Acme &#60;Shop&#62;</h2>');
    expect(m.html).not.toContain('<Shop>');
    expect(m.headers).toMatchObject({
      'Message-ID': '<alerts.alr_1.3@drumbeat.acme.example>',
      'X-Drumbeat-Alert': 'alr_1, alr_3, alr_4',
      'X-Drumbeat-Account': 'acc_1, acc_2',
    });
  });

  it('is the account’s own email when all its alerts are of one account, and keeps one Message-ID per alert set', () => {
    const one = digestEmail([{ account: shop, alerts: [slots, failed] }], 'https://drumbeat.acme.example', [
      'a@acme.example',
    ]);
    expect(one).toEqual(alertEmail([slots, failed], shop, 'https://drumbeat.acme.example', ['a@acme.example']));
    const a = digestEmail(
      [
        { account, alerts: [alert({})] },
        { account: shop, alerts: [slots] },
      ],
      'http://x.example',
      [],
    );
    const b = digestEmail(
      [
        { account: shop, alerts: [slots] },
        { account, alerts: [alert({})] },
      ],
      'http://x.example',
      [],
    );
    expect(a.headers?.['Message-ID']).toBe(b.headers?.['Message-ID']);
  });
});
