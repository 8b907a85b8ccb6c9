import { describe, expect, it } from 'vitest';
import { DurationUpTo, Instant } from './common.js';
import { slugify } from './workspace.js';
import { roleAllows } from './key.js';
import { VoiceCreate, VoicePatch } from './voice.js';
import { textLength } from './network.js';
import { idPattern, newId, newSigningSecret } from '../ids.js';

describe('instants', () => {
  it('normalises any offset to UTC', () => {
    expect(Instant.parse('2026-03-02T15:30:00+01:00')).toBe('2026-03-02T14:30:00.000Z');
  });
  it('refuses local times without an offset and non-dates', () => {
    expect(Instant.safeParse('2026-03-02T15:30:00').success).toBe(false);
    expect(Instant.safeParse('tomorrow').success).toBe(false);
  });
  it('takes RFC 3339 years only: four digits, 0001 to 9999 once in UTC', () => {
    expect(Instant.parse('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000Z');
    expect(Instant.parse('9999-12-31T23:59:59.999Z')).toBe('9999-12-31T23:59:59.999Z');
    for (const s of [
      '+012026-06-01T13:00:00Z',
      '+002026-06-01T13:00:00Z',
      '-000001-01-01T00:00:00Z',
      '+275760-09-13T00:00:00Z',
      '0000-06-01T00:00:00Z',
      '0001-01-01T00:30:00+01:00',
      '9999-12-31T23:30:00-01:00',
    ]) {
      const r = Instant.safeParse(s);
      expect(r.success, s).toBe(false);
      expect(r.error?.issues[0]?.message, s).toContain('0001 to 9999');
    }
  });
});

describe('instants are RFC 3339 only (issue 23)', () => {
  it('refuses ISO 8601 forms RFC 3339 lacks, and a leap second that would become :59', () => {
    for (const s of [
      '2026-03-02T15:30:00+02',
      '2026-03-02T15:30:00+0200',
      '2026-03-02 15:30:00Z',
      '2026-12-31T23:59:60Z',
      '2026-03-02T15:30Z',
      '20260302T153000Z',
    ]) {
      expect(Instant.safeParse(s).success, s).toBe(false);
    }
    expect(Instant.parse('2026-03-02T15:30:00.5+02:00')).toBe('2026-03-02T13:30:00.500Z');
    expect(Instant.parse('2026-03-02t15:30:00z')).toBe('2026-03-02T15:30:00.000Z');
  });
});

describe('bounded durations', () => {
  const UpToYear = DurationUpTo('P366D');
  it('take a duration up to the bound and refuse one past it, or one that is not a duration', () => {
    for (const s of ['PT30S', 'P366D', 'PT8784H', 'P52W']) expect(UpToYear.safeParse(s).success, s).toBe(true);
    for (const s of ['P367D', 'P53W', 'PT8784H1S', 'P1000000W', 'P4294967295W'])
      expect(UpToYear.safeParse(s).error?.issues[0]?.message, s).toBe('must be at most P366D');
    expect(UpToYear.safeParse('P1M').error?.issues[0]?.message).toContain('no fixed length');
  });
});

describe('slugs', () => {
  it('derives a URL-safe slug from a name', () => {
    expect(slugify('Café Acme!  Paris')).toBe('cafe-acme-paris');
    expect(slugify('€')).toMatch(/^ws-/);
  });
});

describe('roles', () => {
  it('owner includes everything; editor and approver are separate; all read', () => {
    expect(roleAllows('owner', 'approver')).toBe(true);
    expect(roleAllows('editor', 'approver')).toBe(false);
    expect(roleAllows('approver', 'editor')).toBe(false);
    expect(roleAllows('viewer', 'editor')).toBe(false);
    for (const r of ['owner', 'editor', 'approver', 'viewer'] as const) expect(roleAllows(r, 'viewer')).toBe(true);
  });
});

describe('voices', () => {
  it('requires a known affiliation', () => {
    expect(VoiceCreate.safeParse({ name: 'A', affiliation: 'ghost' }).success).toBe(false);
    expect(VoiceCreate.parse({ name: ' Anna ', affiliation: 'freelance' }).name).toBe('Anna');
  });
  it('lets a patch clear optional fields with null', () => {
    expect(VoicePatch.parse({ organization: null })).toEqual({ organization: null });
  });
});

describe('ids and secrets', () => {
  it('prefixes ids by kind and sorts them by creation time', () => {
    const a = newId('post', 1_000);
    const b = newId('post', 2_000);
    expect(a).toMatch(idPattern('post'));
    expect(a < b).toBe(true);
  });
  it('makes Standard Webhooks secrets', () => {
    const s = newSigningSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(s.slice(6), 'base64')).toHaveLength(24);
  });
});

describe('text length', () => {
  it('counts code points as networks do, not UTF-16 units', () => {
    expect(textLength('👋🏽 hi')).toBe(5);
  });
});
