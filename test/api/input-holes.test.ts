/**
 * The smaller holes of issue 15: control characters in names and handles,
 * the headers of /t pages, bodies in another charset than UTF-8, slot rules
 * that can never fire, and time zones stored under their IANA name.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP } from '../../packages/api/src/pages/page-response.js';
import { accountBody, ADMIN, startWithVoice, type TestApi } from '../support/api.js';

let api: TestApi;
let key: string;
let ws: string;
let slug: string;
let voiceId: string;
beforeAll(async () => {
  ({ api, key, ws, slug, voiceId } = await startWithVoice(
    { name: 'Anna Bell', affiliation: 'agency' },
    { workspace: 'Holes' },
  ));
});
afterAll(() => api.close());

/** NUL, CR LF (a fake mail header), a C1 control (NEL), DEL, a tab, and lone surrogates of both halves. */
const HOSTILE = [
  'a\u0000b',
  'x\r\nBcc: eve@evil.example',
  'a\u0085b',
  'a\u007fb',
  'a\tb',
  'a\ud800b',
  'a\udc00b',
  'tail\ud83d',
];

function expectNamed(r: { status: number; body: any }, path: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.type).toMatch(/^urn:drumbeat:problem:(validation|invalid)$/);
  expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
}

describe('control characters in names and handles', () => {
  it('refuses each in every name and handle with a 400 naming the field', async () => {
    const account = (await api.call('POST', '/v1/accounts', { key, body: accountBody({ handle: '@plain' }) })).body.id;
    for (const bad of HOSTILE) {
      expectNamed(await api.call('POST', '/v1/workspaces', { key: ADMIN, body: { name: bad } }), 'name');
      expectNamed(await api.call('POST', '/v1/keys', { key, body: { name: bad, role: 'viewer' } }), 'name');
      expectNamed(await api.call('POST', '/v1/voices', { key, body: { name: bad, affiliation: 'agency' } }), 'name');
      expectNamed(
        await api.call('POST', '/v1/voices', { key, body: { name: 'Ok', affiliation: 'agency', organization: bad } }),
        'organization',
      );
      expectNamed(
        await api.call('POST', '/v1/voices', { key, body: { name: 'Ok', affiliation: 'agency', signature: bad } }),
        'signature',
      );
      expectNamed(await api.call('PATCH', `/v1/voices/${voiceId}`, { key, body: { name: bad } }), 'name');
      expectNamed(await api.call('POST', '/v1/accounts', { key, body: accountBody({ name: bad }) }), 'name');
      expectNamed(await api.call('POST', '/v1/accounts', { key, body: accountBody({ handle: `@${bad}` }) }), 'handle');
      expectNamed(await api.call('PATCH', `/v1/accounts/${account}`, { key, body: { name: bad } }), 'name');
      expectNamed(
        await api.call('POST', '/v1/accounts', {
          key,
          body: accountBody({ channel: { type: 'bluesky', identifier: bad, appPassword: 'p' } }),
        }),
        'channel.identifier',
      );
      expectNamed(
        await api.call('POST', '/v1/webhooks', {
          key,
          body: { url: 'https://h.example/x', events: ['*'], description: bad },
        }),
        'description',
      );
    }
  });

  it('still takes names in any script, emoji (a surrogate pair) included', async () => {
    for (const name of ['Zoë Ångström', '東京チーム', 'Équipe 🎉', 'عربي']) {
      const r = await api.call('POST', '/v1/voices', { key, body: { name, affiliation: 'in_house' } });
      expect(r.status).toBe(201);
      expect(r.body.name).toBe(name);
    }
  });
});

describe('transparency pages', () => {
  it('send the same CSP and nosniff as the app pages, on the HTML, its JSON and a miss', async () => {
    const r = await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ handle: '@open', channel: { type: 'manual' }, disclosure: { publicPage: true } }),
    });
    expect(r.status).toBe(201);
    for (const path of [
      `/t/${slug}/@open`,
      `/t/${slug}/@open/transparency.json`,
      `/t/${slug}/@open.json`,
      `/t/${slug}/@nobody`,
    ]) {
      const res = await api.app.request(path);
      expect(res.status, path).toBe(path.includes('nobody') ? 404 : 200);
      expect(res.headers.get('content-security-policy'), path).toBe(PAGE_CSP);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});

describe('request bodies in another charset', () => {
  const send = (contentType: string, body: Uint8Array | string, path = '/v1/voices') =>
    api.app.request(path, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': contentType },
      body,
    });

  it('refuses utf-16 and latin1 with a 415 naming the charset', async () => {
    const json = JSON.stringify({ name: 'Zoë', affiliation: 'agency' });
    const cases: [string, Uint8Array | string][] = [
      ['application/json; charset=utf-16', Buffer.from(`\ufeff${json}`, 'utf16le')],
      ['application/json; charset=UTF-16LE', Buffer.from(json, 'utf16le')],
      ['application/json;charset="latin1"', Buffer.from(json, 'latin1')],
      ['application/json; charset=iso-8859-1', Buffer.from(json, 'latin1')],
    ];
    for (const [type, body] of cases) {
      const res = await send(type, body);
      expect(res.status, type).toBe(415);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const p = (await res.json()) as { type: string; detail: string; errors: { path: string }[] };
      expect(p.type).toBe('urn:drumbeat:problem:unsupported-media-type');
      expect(p.detail.toLowerCase()).toContain(`charset=${/charset="?([^"]+)/.exec(type)![1]!.toLowerCase()}`);
      expect(p.errors[0]!.path).toBe('Content-Type');
    }
    const csv = await send('text/csv; charset=latin1', Buffer.from('account,at,text,voice\n', 'latin1'), '/v1/import');
    expect(csv.status).toBe(415);
  });

  it('takes UTF-8 however it is spelled', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF8']) {
      const res = await send(type, JSON.stringify({ name: 'Zoë', affiliation: 'agency' }));
      expect(res.status, type).toBe(201);
      expect(((await res.json()) as { name: string }).name).toBe('Zoë');
    }
  });
});

describe('slot rules that can never fire', () => {
  it('refuses an UNTIL before every slot with a 400 naming cadence.slots.<n>, on create and on change', async () => {
    const slots = ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;UNTIL=20251231T235959Z'];
    const r = await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ handle: '@until', cadence: { slots } }),
    });
    expectNamed(r, 'cadence.slots.1');
    expect(r.body.errors.find((e: { path: string }) => e.path === 'cadence.slots.1').message).toContain(
      'UNTIL=20251231T235959Z',
    );
    // Today's last slot is past (10:00 > 09:00 Paris): an UNTIL at the end of today leaves nothing either.
    const today = await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ handle: '@until', cadence: { slots: ['FREQ=DAILY;BYHOUR=9;UNTIL=20261123T220000Z'] } }),
    });
    expectNamed(today, 'cadence.slots.0');
    const ok = await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ handle: '@until', cadence: { slots: ['FREQ=DAILY;BYHOUR=9;UNTIL=20261124T235959Z'] } }),
    });
    expect(ok.status).toBe(201);
    expectNamed(
      await api.call('PATCH', `/v1/accounts/${ok.body.id}`, { key, body: { cadence: { slots } } }),
      'cadence.slots.1',
    );
  });
});

describe('time zones', () => {
  it('are stored under their IANA name, whatever the case sent, on create and on change', async () => {
    const r = await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ handle: '@zone', timezone: 'europe/PARIS' }),
    });
    expect(r.status).toBe(201);
    expect(r.body.timezone).toBe('Europe/Paris');
    const stored = async () =>
      (
        await api.store.db.doc.send(
          new QueryCommand({
            TableName: api.store.db.table,
            KeyConditionExpression: 'pk = :pk AND sk = :sk',
            ExpressionAttributeValues: { ':pk': `WS#${ws}`, ':sk': `ACCOUNT#${r.body.id}` },
          }),
        )
      ).Items![0]!.timezone;
    expect(await stored()).toBe('Europe/Paris');
    const p = await api.call('PATCH', `/v1/accounts/${r.body.id}`, { key, body: { timezone: 'AMERICA/new_york' } });
    expect(p.status).toBe(200);
    expect(p.body.timezone).toBe('America/New_York');
    expect(await stored()).toBe('America/New_York');
    expect(
      (
        await api.call('GET', `/v1/accounts/${r.body.id}/calendar?from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z`, {
          key,
        })
      ).body.timezone,
    ).toBe('America/New_York');
  });
});
