import { describe, expect, it } from 'vitest';
import type { AccountRecord, AlertRecord } from '@drumbeat/core';
import { alertEmail, localLabel } from './alert-email.js';

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
  details: { summary: 'no post for 3 days', reason: 'max_gap', maxGap: 'PT48H', lastPublishedAt: '2026-11-22T11:00:00.000Z', silentSince: '2026-11-22T11:00:00.000Z' },
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
    expect(m.headers).toMatchObject({ 'Message-ID': '<alert.alr_1@drumbeat.acme.example>', 'X-Drumbeat-Alert': 'alr_1' });
  });

  it('is one digest for several alerts, with a section each and the empty slots in local time', () => {
    const slots = alert({
      id: 'alr_2',
      kind: 'empty_slots',
      details: { summary: '2 empty slots in the next 7 days', emptyCount: 2, lookahead: 'P7D', emptySlots: [{ at: '2026-11-27T14:30:00.000Z', local: 'x' }, { at: '2026-11-30T14:30:00.000Z', local: 'y' }] },
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
