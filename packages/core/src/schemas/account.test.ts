import { describe, expect, it } from 'vitest';
import { AccountCreate, Cadence } from './account.js';
import { publicChannel } from './channel.js';
import { minimalAccount } from './test-account.js';

const base = minimalAccount;

function paths(r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (r.error?.issues ?? []).map((i) => i.path.join('.'));
}

describe('account schema', () => {
  it('accepts a minimal account and canonicalises the time zone', () => {
    const r = AccountCreate.parse({ ...base, timezone: 'america/new_york' });
    expect(r.timezone).toBe('America/New_York');
  });

  it('refuses unknown zones and fixed offsets, naming the field', () => {
    for (const timezone of ['Mars/Base', '+02:00', '', 'UTC+2']) {
      const r = AccountCreate.safeParse({ ...base, timezone });
      expect(r.success, timezone).toBe(false);
      expect(paths(r)).toContain('timezone');
    }
  });

  it('refuses unknown fields at every level', () => {
    const r = AccountCreate.safeParse({ ...base, colour: 'red', cadence: { slots: [], everyday: true } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.code)).toEqual(['unrecognized_keys', 'unrecognized_keys']);
  });

  it('defaults the cadence lookahead to seven days', () => {
    expect(Cadence.parse({ slots: ['FREQ=DAILY;BYHOUR=9'] }).lookahead).toBe('P7D');
  });

  it('normalises slot rules and drops an RRULE: prefix', () => {
    expect(Cadence.parse({ slots: ['RRULE:freq=weekly;byday=mo;byhour=9'] }).slots).toEqual([
      'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9',
    ]);
  });

  it.each([
    ['FREQ=SOMETIMES', 'FREQ=SOMETIMES is not supported'],
    ['BYDAY=MO', 'FREQ is required'],
    ['FREQ=SECONDLY', 'not supported'],
    ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY'],
    ['FREQ=DAILY;DTSTART=20260101T000000Z', 'DTSTART is not allowed'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'appears twice'],
    ['FREQ=DAILY\nRRULE:FREQ=WEEKLY', 'single RRULE'],
  ])('refuses the rule %j', (rule, message) => {
    const r = Cadence.safeParse({ slots: [rule] });
    expect(r.success).toBe(false);
    expect(paths(r)).toEqual(['slots.0']);
    expect(r.error!.issues[0]!.message).toContain(message);
  });

  it.each([
    ['P1M', 'no fixed length'],
    ['48h', 'not an ISO 8601 duration'],
    ['PT0S', 'positive'],
    ['-PT1H', 'positive'],
  ])('refuses the duration %j', (maxGap, message) => {
    const r = Cadence.safeParse({ slots: [], maxGap });
    expect(r.success).toBe(false);
    expect(paths(r)).toEqual(['maxGap']);
    expect(r.error!.issues[0]!.message).toContain(message);
  });

  it('accepts short durations (PT30S) for demos', () => {
    expect(Cadence.parse({ slots: [], maxGap: 'PT30S' }).maxGap).toBe('PT30S');
  });

  it('requires the fields of the chosen channel type', () => {
    const r = AccountCreate.safeParse({ ...base, channel: { type: 'mastodon', instanceUrl: 'https://m.example' } });
    expect(paths(r)).toEqual(['channel.accessToken']);
    const bad = AccountCreate.safeParse({ ...base, channel: { type: 'fax' } });
    expect(paths(bad)).toEqual(['channel.type']);
  });

  it('never exposes channel secrets in the public view', () => {
    expect(publicChannel({ type: 'webhook', url: 'https://h.example', secret: 'whsec_x' })).toEqual({
      type: 'webhook',
      url: 'https://h.example',
    });
    expect(publicChannel({ type: 'mastodon', instanceUrl: 'https://m.example', accessToken: 't' })).toEqual({
      type: 'mastodon',
      instanceUrl: 'https://m.example',
    });
    expect(
      JSON.stringify(
        publicChannel({
          type: 'bluesky',
          service: 'https://bsky.social',
          identifier: 'a.bsky.social',
          appPassword: 'pw',
        }),
      ),
    ).not.toContain('pw');
  });
});
