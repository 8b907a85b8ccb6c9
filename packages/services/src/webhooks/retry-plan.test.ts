import { describe, expect, it } from 'vitest';
import { WEBHOOK_RETRY_SCHEDULE_MS } from '@drumbeat/core';
import { MAX_RETRY_AFTER_MS, nextStep } from './retry-plan.js';

const failed = (extra: { status?: number; retryAfterMs?: number } = {}) => ({
  ok: false,
  retryable: true,
  durationMs: 5,
  ...extra,
});

describe('nextStep', () => {
  it('calls a 2xx delivered and a 410 gone, whatever the attempt', () => {
    expect(nextStep(1, { ok: true, status: 204, retryable: false, durationMs: 3 })).toEqual({ kind: 'delivered' });
    expect(nextStep(1, failed({ status: 410 }))).toEqual({ kind: 'gone' });
    expect(nextStep(8, failed({ status: 410 }))).toEqual({ kind: 'gone' });
  });

  it('waits the next step of the schedule after each failure: 5 s, 5 min, 30 min, …', () => {
    expect(nextStep(1, failed({ status: 500 }))).toEqual({ kind: 'retry', delayMs: 5_000 });
    expect(nextStep(2, failed())).toEqual({ kind: 'retry', delayMs: 300_000 });
    expect(nextStep(3, failed({ status: 400 }))).toEqual({ kind: 'retry', delayMs: 1_800_000 });
    expect(nextStep(7, failed())).toEqual({ kind: 'retry', delayMs: 36_000_000 });
  });

  it('gives up once every step of the schedule was tried', () => {
    expect(nextStep(WEBHOOK_RETRY_SCHEDULE_MS.length, failed({ status: 503 }))).toEqual({ kind: 'exhausted' });
  });

  it('honours a Retry-After longer than the schedule, ignores a shorter one, and caps it at 24 h', () => {
    expect(nextStep(1, failed({ status: 429, retryAfterMs: 60_000 }))).toEqual({ kind: 'retry', delayMs: 60_000 });
    expect(nextStep(2, failed({ status: 503, retryAfterMs: 1_000 }))).toEqual({ kind: 'retry', delayMs: 300_000 });
    expect(nextStep(1, failed({ status: 503, retryAfterMs: 7 * 86_400_000 }))).toEqual({
      kind: 'retry',
      delayMs: MAX_RETRY_AFTER_MS,
    });
  });
});
