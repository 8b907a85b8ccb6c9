import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { accountBody, startWithVoice, type TestApi } from '../support/api.js';
import { ANNA_AT_AGENCY } from '../support/bodies.js';

let api: TestApi;
let key: string;
let acc: string;
let voiceId: string;
beforeAll(async () => {
  ({ api, key, voiceId } = await startWithVoice(ANNA_AT_AGENCY));
  acc = (await api.call('POST', '/v1/accounts', { key, body: accountBody({ handle: '@acme-csv' }) })).body.id;
});
afterAll(() => api.close());

const importCsv = (csv: string, headers: Record<string, string> = {}) =>
  api.call('POST', '/v1/import', { key, body: csv, headers: { 'Content-Type': 'text/csv', ...headers } });
const count = async () =>
  (await api.call('GET', `/v1/accounts/${acc}/posts?limit=200`, { key })).body.items.length as number;

describe('CSV import', () => {
  it('creates every post of a good file, by handle and email, explicit times and next slots, quoted text included', async () => {
    const csv = [
      'account,at,text,voice,media_url',
      `@acme-csv,next,"Hello, world — with a comma",anna@agency.example,https://cdn.example/a.jpg`,
      `${acc},2026-12-24T09:00:00+01:00,"Line one\nline two",${voiceId},`,
      '@ACME-CSV,next,Third,ANNA@agency.example,',
    ].join('\r\n');
    const r = await importCsv(csv);
    expect(r.status).toBe(201);
    expect(r.body.created).toBe(3);
    expect(r.body.posts.map((p: { scheduledAt: string }) => p.scheduledAt)).toEqual([
      '2026-11-25T08:30:00.000Z',
      '2026-12-24T08:00:00.000Z',
      '2026-11-27T08:30:00.000Z',
    ]);
    expect(r.body.posts[0].text).toBe('Hello, world — with a comma');
    expect(r.body.posts[0].media).toEqual([{ url: 'https://cdn.example/a.jpg' }]);
    expect(r.body.posts[1].text).toBe('Line one\nline two');
  });

  it('creates nothing when one row is bad, and names every bad row and column', async () => {
    const before = await count();
    const csv = [
      'account,at,text,voice',
      '@acme-csv,next,fine,anna@agency.example',
      '@nobody,next,who?,anna@agency.example',
      '@acme-csv,2020-01-01T00:00:00Z,too late,ghost@nowhere.example',
      '@acme-csv,next,,anna@agency.example',
    ].join('\n');
    const r = await importCsv(csv);
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(r.body.errors).toEqual([
      { path: 'rows.3.account', message: 'no account @nobody in this workspace' },
      { path: 'rows.4.voice', message: 'no voice ghost@nowhere.example in this workspace' },
      { path: 'rows.4.at', message: 'must be in the future' },
      { path: 'rows.5.text', message: 'empty' },
    ]);
    expect(await count()).toBe(before);
  });

  it('takes back a file that fails while creating, and tells subscribers of none of its posts', async () => {
    // daily slots until tomorrow: today's has passed, so the second "next" row finds none left
    const once = (
      await api.call('POST', '/v1/accounts', {
        key,
        body: accountBody({
          handle: '@acme-once',
          cadence: { slots: ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0;UNTIL=20261124T235959Z'] },
        }),
      })
    ).body.id;
    const hook = (
      await api.call('POST', '/v1/webhooks', {
        key,
        body: { url: 'https://hooks.agency.example/events', events: ['post.created'] },
      })
    ).body.id;
    const csv = [
      'account,at,text,voice',
      '@acme-once,next,takes the only slot,anna@agency.example',
      '@acme-once,next,finds none left,anna@agency.example',
    ].join('\n');
    const r = await importCsv(csv);
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ path: 'rows.3', message: expect.stringContaining('slot') }]);
    expect((await api.call('GET', `/v1/accounts/${once}/posts`, { key })).body.items).toEqual([]);
    expect((await api.call('GET', `/v1/webhooks/${hook}/deliveries`, { key })).body.items).toEqual([]);
    // the same file's posts, one by one, are announced: the subscription does hear post.created
    await api.call('POST', `/v1/accounts/${once}/posts`, { key, body: { text: 'alone', voiceId, slot: 'next' } });
    expect((await api.call('GET', `/v1/webhooks/${hook}/deliveries`, { key })).body.items).toHaveLength(1);
    await api.call('DELETE', `/v1/webhooks/${hook}`, { key });
  });

  it('refuses a time more than 5 years ahead before creating anything', async () => {
    const before = await count();
    const csv = [
      'account,at,text,voice',
      '@acme-csv,next,fine,anna@agency.example',
      '@acme-csv,2040-01-01T00:00:00Z,far away,anna@agency.example',
    ].join('\n');
    const r = await importCsv(csv);
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ path: 'rows.3.at', message: 'at most 5 years ahead' }]);
    expect(await count()).toBe(before);
  });

  it('refuses wrong columns, naming them', async () => {
    const r = await importCsv('account,when,text,author\n@acme-csv,next,x,anna@agency.example');
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'columns.at',
      'columns.voice',
      'columns.when',
      'columns.author',
    ]);
  });

  it('refuses a malformed file, an empty one and the wrong content type', async () => {
    const bad = await importCsv('account,at,text,voice\n@acme-csv,next,"unterminated,anna@agency.example');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('could not be parsed');
    // The line where the broken record starts (the header is line 1).
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'rows.2' })]);
    expect((await importCsv('account,at,text,voice\n')).status).toBe(422);
    const json = await api.call('POST', '/v1/import', { key, body: { rows: [] } });
    expect(json.status).toBe(415);
    expect(json.body.type).toBe('urn:drumbeat:problem:unsupported-media-type');
  });

  it('honours Idempotency-Key: a retried upload creates nothing more', async () => {
    const csv = 'account,at,text,voice\n@acme-csv,2027-01-05T10:00:00Z,once,anna@agency.example';
    const before = await count();
    const a = await importCsv(csv, { 'Idempotency-Key': 'upload-1' });
    const b = await importCsv(csv, { 'Idempotency-Key': 'upload-1' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    expect(await count()).toBe(before + 1);
  });
});

describe('CSV export', () => {
  it("exports an account's posts as CSV a parser reads back", async () => {
    const res = await api.app.request(`/v1/accounts/${acc}/posts.csv`, { headers: { Authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    // A text with a line break is quoted, so a reader splitting records at any line end (a spreadsheet) keeps it whole.
    expect(text).toContain('"Line one\nline two"');
    expect(parse(text, { columns: true, record_delimiter: ['\r\n', '\n'] })).toEqual(parse(text, { columns: true }));
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(await count());
    const multi = rows.find((r) => r.text === 'Line one\nline two')!;
    // A cell starting with @ is a formula to a spreadsheet: it is written behind an apostrophe (the import removes it).
    expect(multi).toMatchObject({
      account: "'@acme-csv",
      at: '2026-12-24T08:00:00.000Z',
      voice_name: 'Anna Bell',
      affiliation: 'agency',
      status: 'scheduled',
    });
  });
});
