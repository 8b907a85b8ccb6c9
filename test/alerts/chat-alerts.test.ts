import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { allowAllUrls, ALERT_KINDS, type AccountRecord, type AlertKind, type AlertRecord } from '@drumbeat/core';
import { ChatDelivery, chatPayload, SLACK_LIMITS, TEAMS_LIMITS, type ServiceDeps } from '@drumbeat/services';
import { accountBody, startTestApi } from '../support/api.js';
import { accountRecord } from '../support/account-record.js';

const account = (over: Partial<AccountRecord> = {}): AccountRecord =>
  accountRecord({ id: 'acc_01jd8x3k2m9q4r7s0t1v2w3x4y', name: 'Acme Coffee', ...over });

const DETAILS: Record<AlertKind, Record<string, unknown>> = {
  cadence_lapsed: {
    summary: 'no post for 3 days',
    reason: 'max_gap',
    maxGap: 'PT48H',
    lastPublishedAt: '2026-11-22T11:00:00.000Z',
    silentSince: '2026-11-22T11:00:00.000Z',
  },
  empty_slots: {
    summary: '2 empty slots in the next 7 days',
    emptyCount: 2,
    lookahead: 'P7D',
    emptySlots: [{ at: '2026-11-27T08:30:00.000Z' }, { at: '2026-11-30T08:30:00.000Z' }],
  },
  approval_overdue: {
    summary: 'a post awaits approval',
    scheduledAt: '2026-11-26T08:30:00.000Z',
    pendingSince: '2026-11-25T08:00:00.000Z',
    sla: 'PT4H',
  },
  publish_failed: {
    summary: 'a post was not published',
    scheduledAt: '2026-11-25T08:30:00.000Z',
    reason: 'the instance answered 401',
  },
  webhook_failing: {
    summary: 'a webhook subscription fails',
    webhookId: 'whk_1',
    webhookUrl: 'https://hooks.agency.example/x',
    failedDeliveries: 5,
  },
  email_bounced: {
    summary: 'mail to ops@acme.example bounced; it is no longer sent there',
    bounces: [
      {
        address: 'ops@acme.example',
        event: 'bounce',
        detail: 'Permanent/General',
        reportedAt: '2026-11-25T08:30:00.000Z',
        usedAs: ['alert_recipient'],
      },
    ],
  },
  listening_failed: {
    summary: 'listening for mentions failed',
    reason: 'mastodon notifications: HTTP 401: The access token is invalid',
    failingSince: '2026-11-25T10:00:00.000Z',
  },
  reply_overdue: {
    summary: 'a question from @jo has waited 2 hours for an answer',
    conversationId: 'cnv_1',
    receivedAt: '2026-11-25T09:00:00.000Z',
    dueAt: '2026-11-25T11:00:00.000Z',
    author: '@jo',
    text: 'Are you hiring?',
    sla: 'PT2H',
  },
};
const alert = (kind: AlertKind, i = 0, acc = account()): AlertRecord => ({
  id: `alr_${kind}_${i}`,
  workspaceId: 'ws_1',
  accountId: acc.id,
  kind,
  ...(kind === 'approval_overdue' || kind === 'publish_failed' ? { postId: 'pst_01jd8x3k2m9q4r7s0t1v2w3x4y' } : {}),
  dedupeKey: `${acc.id}#${kind}`,
  openedAt: '2026-11-25T11:00:00.000Z',
  details: DETAILS[kind] as AlertRecord['details'],
  updatedAt: '2026-11-25T11:00:00.000Z',
  version: 1,
});

/** What each platform documents as its limits, checked on a payload as a receiver sees it. */
function checkSlack(p: any): void {
  expect(p.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(typeof p.text).toBe('string');
  for (const b of p.blocks) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
    if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(3000);
    if (b.type === 'actions') {
      expect(b.elements.length).toBeLessThanOrEqual(25);
      for (const e of b.elements) {
        expect(e.text.text.length).toBeLessThanOrEqual(75);
        expect(e.url.length).toBeLessThanOrEqual(3000);
      }
    }
  }
}
function checkTeams(p: any, raw: string): void {
  expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(TEAMS_LIMITS.bytes);
  expect(p.type).toBe('message');
  expect(p.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
  expect(p.attachments[0].content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
}

let receiver: Server;
let url: string;
const got: { path: string; raw: string }[] = [];
let answers: number[] = [];
beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      got.push({ path: req.url!, raw });
      res.writeHead(answers.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

const deps = { publicUrl: 'https://drumbeat.acme.example', urlPolicy: allowAllUrls } as unknown as ServiceDeps;
const EXAMPLES = fileURLToPath(new URL('../../docs/chat-alerts/', import.meta.url));

describe('chat alert payloads', () => {
  it.each(ALERT_KINDS)('%s: matches its example under docs/ and keeps Slack’s and Teams’ limits', (kind) => {
    const groups = [{ account: account(), alerts: [alert(kind)] }];
    for (const type of ['slack', 'teams'] as const) {
      const payload = chatPayload(type, groups, deps.publicUrl);
      const file = `${EXAMPLES}${type}-${kind}.json`;
      const text = `${JSON.stringify(payload, null, 2)}\n`;
      if (!existsSync(file) && process.env.DRUMBEAT_WRITE_EXAMPLES) writeFileSync(file, text);
      expect(readFileSync(file, 'utf8'), file).toBe(text);
      if (type === 'slack') checkSlack(payload);
      else checkTeams(payload, text);
    }
    if (kind !== 'webhook_failing')
      expect(JSON.stringify(chatPayload('slack', groups, deps.publicUrl))).toContain('(Europe/Paris)'); // instants in local time
  });

  it('names the empty slots in the account’s local time, with a button to the calendar', () => {
    const p = chatPayload('slack', [{ account: account(), alerts: [alert('empty_slots')] }], deps.publicUrl) as any;
    expect(p.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '@acme: 2 empty slots in the next 7 days', emoji: false },
    });
    expect(p.blocks[1].text.text).toContain('Fri, 27 Nov 2026, 09:30 (Europe/Paris)');
    expect(p.blocks[2].elements[0].url).toBe(
      'https://drumbeat.acme.example/app/accounts/acc_01jd8x3k2m9q4r7s0t1v2w3x4y/calendar',
    );
  });
});

describe('chat alert delivery to a receiver on loopback', () => {
  it('keeps a 40-alert digest within 50 blocks and 28 KB, one message per destination', async () => {
    got.length = 0;
    const many = Array.from({ length: 40 }, (_, i) => alert(ALERT_KINDS[i % ALERT_KINDS.length]!, i));
    const acc = account({
      alerts: {
        emails: [],
        chat: [
          { type: 'slack', url: `${url}/slack` },
          { type: 'teams', url: `${url}/teams` },
          { type: 'webhook', url: `${url}/hook` },
        ],
      },
    });
    await new ChatDelivery(deps, []).deliver([{ account: acc, alerts: many }]);
    expect(got.map((g) => g.path).sort()).toEqual(['/hook', '/slack', '/teams']);
    const slack = got.find((g) => g.path === '/slack')!;
    checkSlack(JSON.parse(slack.raw));
    expect(slack.raw).toContain('more alerts');
    const teams = got.find((g) => g.path === '/teams')!;
    checkTeams(JSON.parse(teams.raw), teams.raw);
    expect(JSON.parse(got.find((g) => g.path === '/hook')!.raw).alerts).toHaveLength(40);
  });

  it('retries a 5xx or 429 and gives up on a 4xx', async () => {
    got.length = 0;
    answers = [503, 429, 200];
    const acc = account({ alerts: { emails: [], chat: [{ type: 'slack', url: `${url}/retry` }] } });
    await new ChatDelivery(deps, [1, 1, 1], async () => {}).deliver([
      { account: acc, alerts: [alert('cadence_lapsed')] },
    ]);
    expect(got.length).toBe(3);
    got.length = 0;
    answers = [400];
    await new ChatDelivery(deps, [1, 1, 1], async () => {}).deliver([
      { account: acc, alerts: [alert('cadence_lapsed')] },
    ]);
    expect(got.length).toBe(1);
  });

  it('refuses a chat URL the egress policy refuses, naming the field', async () => {
    const { egressUrlPolicy } = await import('@drumbeat/channels');
    const api = await startTestApi({ urlPolicy: egressUrlPolicy({ allowPrivate: false }) });
    try {
      const w = await api.workspace();
      const r = await api.call('POST', '/v1/accounts', {
        key: w.key,
        body: accountBody({
          channel: { type: 'manual' },
          alerts: { emails: [], chat: [{ type: 'slack', url: 'http://127.0.0.1:9/x' }] },
        }),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.errors[0].path).toBe('alerts.chat.0.url');
    } finally {
      await api.close();
    }
  });
});
