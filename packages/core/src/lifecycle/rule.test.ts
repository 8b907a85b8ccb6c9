import { describe, expect, it } from 'vitest';
import { applyChange, decide, guardHolds, type Guard } from './rule.js';

const rec = { version: 3, status: 'scheduled', at: '2026-05-01T10:00:00.000Z', n: 2 };

describe('lifecycle rules in memory (no engine)', () => {
  it('guards compare like DynamoDB: a missing field fails every comparison, types must match', () => {
    const holds = (g: Guard) => guardHolds(rec, g);
    expect(holds({ field: 'at', atMost: '2026-05-01T10:00:00.000Z' })).toBe(true);
    expect(holds({ field: 'at', below: '2026-05-01T10:00:00.000Z' })).toBe(false);
    expect(holds({ field: 'at', above: '2026-04-01T00:00:00.000Z' })).toBe(true);
    expect(holds({ field: 'missing', atMost: 'z' })).toBe(false);
    expect(holds({ field: 'missing', above: '' })).toBe(false);
    expect(holds({ field: 'n', atMost: '9' })).toBe(false);
    expect(holds({ field: 'status', in: ['publishing', 'scheduled'] })).toBe(true);
    expect(
      holds({
        anyOf: [
          { field: 'retryAt', absent: true },
          { field: 'retryAt', atMost: 'x' },
        ],
      }),
    ).toBe(true);
    expect(holds({ field: 'n', present: true })).toBe(true);
  });

  it('a change sets, keeps what is there, adds, removes and bumps the version', () => {
    const next = applyChange(rec, {
      set: { status: 'publishing', skipped: undefined },
      setIfAbsent: { at: '2030-01-01T00:00:00.000Z', first: 'x' },
      add: { n: 1, attempts: 1 },
      remove: ['gone'],
    });
    expect(next).toEqual({ version: 4, status: 'publishing', at: rec.at, first: 'x', n: 3, attempts: 1 });
    expect(rec.version).toBe(3);
  });

  it('a change appends to a list, starting from an empty one', () => {
    const next = applyChange({ ...rec, log: ['a'] }, { append: { log: ['b'], fresh: ['c'] } });
    expect(next).toMatchObject({ log: ['a', 'b'], fresh: ['c'], version: 4 });
  });

  it('a change may touch a field once, and never the version', () => {
    expect(() => applyChange(rec, { set: { n: 1 }, remove: ['n'] })).toThrow(/n twice/);
    expect(() => applyChange(rec, { set: { version: 9 } })).toThrow(/version/);
  });

  it('decide names the guard that refused, and gives the effects when applied', () => {
    const when: Guard[] = [
      { field: 'status', eq: 'scheduled' },
      { field: 'version', eq: 2 },
    ];
    expect(decide(rec, { when, change: {}, effects: ['x'] })).toEqual({ ok: false, refused: when[1] });
    const d = decide(rec, { when: when.slice(0, 1), change: { set: { status: 'failed' } }, effects: ['x'] });
    expect(d).toEqual({ ok: true, next: { ...rec, status: 'failed', version: 4 }, effects: ['x'] });
  });
});
