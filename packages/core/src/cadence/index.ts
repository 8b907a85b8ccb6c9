/**
 * The cadence engine: pure functions from an account's slot rules, zone and
 * publications to slots, empty slots, lapse deadlines and lapses. Rules are
 * read in the account's IANA zone, anchored at local midnight of 2001-01-01
 * unless the spec says otherwise; a slot in a spring-forward gap is skipped, a
 * repeated fall-back time is one slot at its first occurrence, and slots keep
 * their local time across DST. Nothing depends on the host's TZ, and no
 * recurrence library is needed at run time. The full policy is in ./slots.ts.
 */
export { slotsBetween, everySlotBetween, slotsAfter, emptySlots, type CadenceSpec } from './slots.js';
export { lapseDeadline, findLapses, type LapsePolicy, type Lapse } from './lapses.js';
export { parseRRule } from '@drumbeat/standards/rrule';
export { spentSlotRules } from './spent-rules.js';
export { MAX_SLOTS_PER_CALL, DEFAULT_ANCHOR } from './limits.js';
export { localToInstant } from '@drumbeat/standards/time';
