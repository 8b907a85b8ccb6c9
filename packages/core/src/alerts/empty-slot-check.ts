import { slotsAfter, slotsBetween, type CadenceSpec } from '../cadence/slots.js';
import { MAX_SLOTS_PER_CALL } from '../cadence/limits.js';
import { toLocal } from '@drumbeat/standards/time';
import type { AlertCondition } from './condition.js';
import { humanDuration } from './human-duration.js';

const DAY = 86_400_000;
/** Slots looked at beyond the lookahead, to know when the next empty one comes into view. */
export const SLOTS_BEYOND = 64;
/** How far beyond the lookahead slots are looked for. */
export const BEYOND_MS = 366 * DAY;
/** Empty slots listed in one alert (the count says how many there are). */
export const MAX_LISTED_SLOTS = 100;

/**
 * The slots the empty-slot check looks at: those within the lookahead,
 * (now, now + lookahead], and up to 64 beyond it (within 366 days), so the
 * watchdog knows when the next empty slot enters the window. Posts must be
 * known up to `horizon` (inclusive).
 */
export interface SlotPlan {
  now: Date;
  lookaheadMs: number;
  inWindow: Date[];
  beyond: Date[];
  horizon: Date;
}

/** Plans the empty-slot check of a cadence at `now` (pure; no posts needed yet). */
export function planSlots(spec: CadenceSpec, now: Date, lookaheadMs: number): SlotPlan {
  const end = now.getTime() + lookaheadMs;
  const inWindow = slotsBetween(spec, new Date(now.getTime() + 1), new Date(end + 1));
  if (inWindow.length >= MAX_SLOTS_PER_CALL) {
    // A cadence this dense fills the engine's window before the lookahead ends: look no further.
    return { now, lookaheadMs, inWindow, beyond: [], horizon: inWindow.at(-1)! };
  }
  const limit = new Date(end + BEYOND_MS);
  const beyond = slotsAfter(spec, new Date(end), SLOTS_BEYOND, limit);
  const horizon = beyond.length >= SLOTS_BEYOND ? beyond.at(-1)! : limit;
  return { now, lookaheadMs, inWindow, beyond, horizon };
}

/**
 * The empty slots within the lookahead (slots with no live post at their
 * instant) as one condition, and when the set can next change by time alone:
 * the first empty slot passing, the next empty slot beyond entering the window
 * (its instant minus the lookahead), or the end of what was looked at coming
 * into view. Filled slots entering or leaving change nothing, so they cost no
 * wake-up.
 */
export function checkEmptySlots(
  plan: SlotPlan,
  filled: Iterable<Date>,
  timezone: string,
  lookahead: string,
): { condition?: AlertCondition; next: Date | null } {
  const taken = new Set<number>();
  for (const d of filled) taken.add(d.getTime());
  const empty = plan.inWindow.filter((s) => !taken.has(s.getTime()));
  const nextBeyond = plan.beyond.find((s) => !taken.has(s.getTime()));
  const candidates = [
    empty[0]?.getTime(),
    nextBeyond !== undefined ? nextBeyond.getTime() - plan.lookaheadMs : undefined,
    plan.inWindow.length >= MAX_SLOTS_PER_CALL ? undefined : plan.horizon.getTime() - plan.lookaheadMs,
  ].filter((t): t is number => t !== undefined && t > plan.now.getTime());
  const next = candidates.length ? new Date(Math.min(...candidates)) : null;
  if (empty.length === 0) return { next };
  const n = empty.length;
  return {
    next,
    condition: {
      kind: 'empty_slots',
      details: {
        summary: `${n} empty slot${n === 1 ? '' : 's'} in the next ${humanDuration(plan.lookaheadMs)}`,
        emptyCount: n,
        emptySlots: empty.slice(0, MAX_LISTED_SLOTS).map((s) => ({ at: s.toISOString(), local: toLocal(s, timezone) })),
        lookahead,
      },
    },
  };
}
