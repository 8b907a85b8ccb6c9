import { describe, expect, it } from 'vitest';
import { Invalid } from '@drumbeat/core';
import { CalendarService } from './calendar.js';
import type { ServiceDeps } from './deps.js';
import { accountRecord } from '../../../test/support/account-record.js';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const account = (lookahead = 'P7D') => accountRecord({ cadence: { slots: [], lookahead } });
// window() reads only the clock.
const service = new CalendarService({ clock: { now: () => NOW } } as unknown as ServiceDeps);

/** The field and message of the 400 that `f` throws. */
function refusal(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Invalid);
    return { status: (e as Invalid).status, errors: (e as Invalid).errors };
  }
  throw new Error('expected a refusal');
}

describe('the calendar window', () => {
  it('defaults to [now, now + lookahead), the default end at most 92 days ahead', () => {
    expect(service.window(account(), {})).toEqual({ from: NOW, to: new Date('2026-11-30T10:00:00.000Z') });
    expect(service.window(account('P366D'), {}).to).toEqual(new Date(NOW.getTime() + 92 * 86_400_000));
  });

  it('ends a default window within the years the wire carries, so its end can be sent back as the next from', () => {
    expect(service.window(account(), { from: '9999-12-31T00:00:00Z' }).to.toISOString()).toBe(
      '9999-12-31T23:59:59.999Z',
    );
    expect(service.window(account(), { from: '9999-12-20T00:00:00Z' }).to.toISOString()).toBe(
      '9999-12-27T00:00:00.000Z',
    );
  });

  it('refuses a start past the wire years, naming from (never a NaN end that reaches the slot engine)', () => {
    expect(refusal(() => service.window(account(), { from: '+275760-09-10T00:00:00Z' }))).toEqual({
      status: 400,
      errors: [{ path: 'from', message: 'must be before 9999-12-31T23:59:59.999Z' }],
    });
    expect(refusal(() => service.window(account(), { from: '9999-12-31T23:59:59.999Z' })).errors[0]!.path).toBe('from');
  });

  it('refuses an end or a start that is not an instant, naming it', () => {
    expect(refusal(() => service.window(account(), { from: '2026-11-23T00:00:00Z', to: 'never' })).errors).toEqual([
      { path: 'to', message: 'must be a valid instant' },
    ]);
    expect(refusal(() => service.window(account(), { from: 'never' })).errors).toEqual([
      { path: 'from', message: 'must be a valid instant' },
    ]);
  });

  it('keeps refusing windows over 92 days and backwards ones', () => {
    expect(
      refusal(() => service.window(account(), { from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' })).errors[0]!
        .path,
    ).toBe('to');
    expect(
      refusal(() => service.window(account(), { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })).errors[0]!
        .path,
    ).toBe('to');
  });
});
