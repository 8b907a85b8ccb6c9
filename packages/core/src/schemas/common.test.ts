import { describe, expect, it } from 'vitest';
import { Instant } from './common.js';
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
