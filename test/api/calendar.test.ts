import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { accountBody, startWithVoice, type TestApi } from '../support/api.js';
import { ANNA_AT_AGENCY } from '../support/bodies.js';

let api: TestApi;
let key: string;
let voiceId: string;
beforeAll(async () => {
  // Monday, 11:00 in Paris
  ({ api, key, voiceId } = await startWithVoice({ ...ANNA_AT_AGENCY, organization: 'Northwind' }));
});
afterAll(() => api.close());

async function account(overrides: Record<string, unknown> = {}) {
  return (await api.call('POST', '/v1/accounts', { key, body: accountBody(overrides) })).body.id as string;
}
const post = (acc: string, body: Record<string, unknown>) =>
  api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { voiceId, ...body } });

describe('the calendar view', () => {
  it('lists every slot of the window, filled or empty, in UTC and local time, and the gaps', async () => {
    const acc = await account(); // MO, WE, FR 09:30 Paris
    const filled = await post(acc, { text: 'Wednesday', slot: 'next' });
    const offSlot = await post(acc, { text: 'Thursday at noon', at: '2026-11-26T11:00:00Z' });
    const r = await api.call('GET', `/v1/accounts/${acc}/calendar?from=2026-11-23T00:00:00Z&to=2026-12-01T00:00:00Z`, {
      key,
    });
    expect(r.status).toBe(200);
    expect(r.body.timezone).toBe('Europe/Paris');
    expect(r.body.slots).toEqual([
      { at: '2026-11-23T08:30:00.000Z', local: '2026-11-23T09:30:00+01:00[Europe/Paris]', postId: null },
      { at: '2026-11-25T08:30:00.000Z', local: '2026-11-25T09:30:00+01:00[Europe/Paris]', postId: filled.body.id },
      { at: '2026-11-27T08:30:00.000Z', local: '2026-11-27T09:30:00+01:00[Europe/Paris]', postId: null },
      { at: '2026-11-30T08:30:00.000Z', local: '2026-11-30T09:30:00+01:00[Europe/Paris]', postId: null },
    ]);
    expect(r.body.gaps.map((g: { at: string }) => g.at)).toEqual([
      '2026-11-23T08:30:00.000Z',
      '2026-11-27T08:30:00.000Z',
      '2026-11-30T08:30:00.000Z',
    ]);
    expect(r.body.posts.map((p: { id: string }) => p.id)).toEqual([filled.body.id, offSlot.body.id]);
  });

  it('shades lapses: stretches longer than maxGap with nothing scheduled or published', async () => {
    const acc = await account({ cadence: { slots: ['FREQ=DAILY;BYHOUR=9'], maxGap: 'PT48H' } });
    await post(acc, { text: 'only one', at: '2026-11-24T12:00:00Z' });
    const r = await api.call('GET', `/v1/accounts/${acc}/calendar?from=2026-11-23T10:00:00Z&to=2026-11-30T00:00:00Z`, {
      key,
    });
    // the clock starts when the cadence was set (10:00 on the 23rd); the post at noon on the 24th resets it
    expect(r.body.lapses).toEqual([
      {
        from: '2026-11-26T12:00:00.000Z',
        to: '2026-11-30T00:00:00.000Z',
        fromLocal: '2026-11-26T13:00:00+01:00[Europe/Paris]',
        toLocal: '2026-11-30T01:00:00+01:00[Europe/Paris]',
      },
    ]);
  });

  it('defaults to the lookahead from now and refuses windows over 92 days', async () => {
    const acc = await account();
    const r = await api.call('GET', `/v1/accounts/${acc}/calendar`, { key });
    expect([r.body.from, r.body.to]).toEqual(['2026-11-23T10:00:00.000Z', '2026-11-30T10:00:00.000Z']);
    const big = await api.call(
      'GET',
      `/v1/accounts/${acc}/calendar?from=2026-11-23T00:00:00Z&to=2027-03-01T00:00:00Z`,
      { key },
    );
    expect(big.status).toBe(400);
    expect(big.headers.get('content-type')).toBe('application/problem+json');
    expect(big.body.errors).toEqual([{ path: 'to', message: 'the window is at most 92 days' }]);
    const backwards = await api.call(
      'GET',
      `/v1/accounts/${acc}/calendar?from=2026-11-23T00:00:00Z&to=2026-11-22T00:00:00Z`,
      { key },
    );
    expect(backwards.body.errors[0].path).toBe('to');
    const bad = await api.call('GET', `/v1/accounts/${acc}/calendar?from=yesterday`, { key });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('from');
  });
});

async function ics(path: string): Promise<string> {
  const res = await api.app.request(path, { headers: { Authorization: `Bearer ${key}` } });
  expect(res.status, path).toBe(200);
  return res.text();
}

/** The UIDs of the post events (not the empty slots) of a document, read with ical.js, by start. */
function postUids(text: string): string[] {
  return new ICAL.Component(ICAL.parse(text))
    .getAllSubcomponents('vevent')
    .map((e) => new ICAL.Event(e))
    .filter((e) => !e.uid.startsWith('slot-'))
    .sort((a, b) => a.startDate.toJSDate().getTime() - b.startDate.toJSDate().getTime())
    .map((e) => e.uid);
}

/** The events of a document as node-ical reads them. */
function nodeIcalEvents(text: string): { uid: string; start: Date; status?: string }[] {
  return Object.values(nodeIcal.sync.parseICS(text)).filter((c) => c?.type === 'VEVENT') as unknown as {
    uid: string;
    start: Date;
    status?: string;
  }[];
}

describe('iCalendar', () => {
  it('parses with a real iCalendar parser: one event per post with a stable UID, status and author; empty slots tentative', async () => {
    const acc = await account();
    const p = await post(acc, {
      text: 'Our autumn blend is back ☕, with a long line that needs folding at seventy-five octets',
      slot: 'next',
    });
    const res = await api.app.request(
      `/v1/accounts/${acc}/calendar.ics?from=2026-11-23T00:00:00Z&to=2026-12-01T00:00:00Z`,
      {
        headers: { Authorization: `Bearer ${key}` },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/calendar');
    const text = await res.text();
    expect(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    const cal = new ICAL.Component(ICAL.parse(text));
    const events = cal.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    const postEvent = events.find((e) => e.uid === `${p.body.id}@drumbeat`)!;
    expect(postEvent.startDate.toJSDate().toISOString()).toBe('2026-11-25T08:30:00.000Z');
    expect(postEvent.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(postEvent.description).toContain('Author: Anna Bell (agency, Northwind)');
    expect(postEvent.description).not.toContain('anna@agency.example');
    const tentative = events.filter((e) => e.component.getFirstPropertyValue('status') === 'TENTATIVE');
    // Monday 09:30 Paris came before the account (created at 11:00): not a slot anyone could fill, so not in the export.
    expect(tentative.map((e) => e.startDate.toJSDate().toISOString())).toEqual([
      '2026-11-27T08:30:00.000Z',
      '2026-11-30T08:30:00.000Z',
    ]);
    // a long text is shortened for the summary on a character boundary, never inside an emoji
    const emoji = await post(acc, { text: `${'x'.repeat(58)}🦄🦄🦄 and more`, slot: 'next' });
    const emojiFeed = await api.app.request(
      `/v1/accounts/${acc}/calendar.ics?from=2026-11-23T00:00:00Z&to=2026-12-01T00:00:00Z`,
      { headers: { Authorization: `Bearer ${key}` } },
    );
    const emojiEvent = new ICAL.Component(ICAL.parse(await emojiFeed.text()))
      .getAllSubcomponents('vevent')
      .map((e) => new ICAL.Event(e))
      .find((e) => e.uid === `${emoji.body.id}@drumbeat`)!;
    expect(emojiEvent.summary).toBe(`${'x'.repeat(58)}🦄…`);
    await api.call('DELETE', `/v1/posts/${emoji.body.id}`, { key });
    // the same content gives the same document (stable UIDs and DTSTAMP)
    const again = await api.app.request(
      `/v1/accounts/${acc}/calendar.ics?from=2026-11-23T00:00:00Z&to=2026-12-01T00:00:00Z`,
      {
        headers: { Authorization: `Bearer ${key}` },
      },
    );
    expect(await again.text()).toBe(text);
  });

  it('serves a secret feed URL without a key, with cache headers, and stops serving it once rotated', async () => {
    const acc = await account();
    await post(acc, { text: 'in the feed', slot: 'next' });
    const { url } = (await api.call('GET', `/v1/accounts/${acc}/feed`, { key })).body;
    expect(url).toMatch(/^http:\/\/localhost\/feeds\/[A-Za-z0-9_-]{60,}\.ics$/);
    const path = new URL(url).pathname;
    const res = await api.app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = res.headers.get('etag')!;
    expect(await res.text()).toContain('SUMMARY:in the feed');
    expect((await api.app.request(path, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await api.call('GET', `/v1/accounts/${acc}/feed`, { key })).body.url).toBe(url);
    const rotated = (await api.call('POST', `/v1/accounts/${acc}/feed/rotate`, { key })).body.url;
    expect(rotated).not.toBe(url);
    expect((await api.app.request(path)).status).toBe(404);
    expect((await api.app.request(new URL(rotated).pathname)).status).toBe(200);
  });

  it('exports every post planned ahead when no end is given, not only the lookahead; an explicit window stays that window', async () => {
    const acc = await account(); // lookahead P7D
    const soon = await post(acc, { text: 'This week', slot: 'next' });
    const later = await post(acc, { text: 'In forty days', at: '2027-01-02T09:00:00Z' });
    const muchLater = await post(acc, { text: 'Next summer', at: '2027-07-01T07:00:00Z' });
    const dropped = await post(acc, { text: 'Canceled', at: '2027-02-01T09:00:00Z' });
    await api.call('DELETE', `/v1/posts/${dropped.body.id}`, { key });
    const ids = [soon, later, muchLater].map((p) => `${p.body.id}@drumbeat`);

    const exported = await ics(`/v1/accounts/${acc}/calendar.ics`);
    expect(postUids(exported)).toEqual(ids);
    // node-ical reads the same events at the same instants
    const parsed = nodeIcalEvents(exported);
    const byUid = new Map(parsed.map((e) => [e.uid, e]));
    expect(byUid.get(ids[1]!)!.start.toISOString()).toBe('2027-01-02T09:00:00.000Z');
    expect(byUid.get(ids[2]!)!.start.toISOString()).toBe('2027-07-01T07:00:00.000Z');
    expect(parsed.some((e) => e.uid === `${dropped.body.id}@drumbeat`)).toBe(false);
    // empty slots are those of the lookahead only
    const gaps = parsed.filter((e) => e.status === 'TENTATIVE').map((e) => e.start.getTime());
    expect(gaps.length).toBeGreaterThan(0);
    expect(Math.max(...gaps)).toBeLessThan(Date.parse('2026-11-30T10:00:00Z'));

    expect(
      postUids(await ics(`/v1/accounts/${acc}/calendar.ics?from=2026-11-23T00:00:00Z&to=2026-12-01T00:00:00Z`)),
    ).toEqual([ids[0]]);
    // a start without an end: from there on, everything ahead
    expect(postUids(await ics(`/v1/accounts/${acc}/calendar.ics?from=2026-12-15T00:00:00Z`))).toEqual(ids.slice(1));
  });

  it('the feed holds every post planned ahead and no empty slot from before the cadence was set', async () => {
    const acc = await account(); // created at 10:00 on Monday 23rd, MO/WE/FR 09:30 Paris
    const far = await post(acc, { text: 'Five months out', at: '2027-04-20T08:00:00Z' });
    const { url } = (await api.call('GET', `/v1/accounts/${acc}/feed`, { key })).body;
    const text = await (await api.app.request(new URL(url).pathname)).text();
    expect(postUids(text)).toEqual([`${far.body.id}@drumbeat`]);
    const parsed = nodeIcalEvents(text);
    const gaps = parsed
      .filter((e) => e.status === 'TENTATIVE')
      .map((e) => e.start.toISOString())
      .sort();
    // the feed looks 30 days back, but the first empty slot is the first after the cadence was set
    expect(gaps[0]).toBe('2026-11-25T08:30:00.000Z');
    // a new cadence set later starts its slots then
    api.clock.set('2026-12-02T12:00:00Z');
    expect(
      (
        await api.call('PATCH', `/v1/accounts/${acc}`, {
          key,
          body: { cadence: { slots: ['FREQ=DAILY;BYHOUR=9'], maxGap: 'PT48H' } },
        })
      ).status,
    ).toBe(200);
    const after = await (await api.app.request(new URL(url).pathname)).text();
    const afterGaps = nodeIcalEvents(after)
      .filter((e) => e.status === 'TENTATIVE')
      .map((e) => e.start.toISOString())
      .sort();
    expect(afterGaps[0]).toBe('2026-12-03T08:00:00.000Z');
    api.clock.set('2026-11-23T10:00:00Z');
  });

  it('answers 404 for malformed and unknown feed tokens', async () => {
    for (const p of [
      '/feeds/nope.ics',
      `/feeds/${'a'.repeat(84)}.ics`,
      '/feeds/x',
      `/feeds/${'0'.repeat(52)}${'A'.repeat(32)}.ics`,
    ]) {
      const r = await api.app.request(p);
      expect(r.status, p).toBe(404);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
    }
  });
});
