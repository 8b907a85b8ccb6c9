/**
 * RFC 5545 RRULE expansion: a rule checked (parseRRule), planned (rulePlan),
 * prepared for a zone and DTSTART (prepareRule, COUNT turned into UNTIL) and
 * expanded over a window (expandRule), in wall-clock time through the zone
 * arithmetic of ../time. Tests compare it with rrule-temporal and ical.js,
 * test-only oracles; what a slot is (anchor, merging, caps) is drumbeat's
 * and stays in packages/core/src/cadence.
 *
 * Delete it when a recurrence library fits the cold-start budget (DESIGN.md,
 * Performance) and keeps the DST policy of ../../README.md (gap times
 * skipped, repeated times once), e.g. rrule-temporal on a runtime with native
 * Temporal.
 */
export { parseRRule, rruleParts, MAX_COUNT } from './rrule.js';
export { rulePlan, type RulePlan } from './rule-plan.js';
export { expandRule, prepareRule, type PreparedRule } from './expand.js';
export type { AnchorPoint } from './expander.js';
export type { CompiledRule } from './compiled-rule.js';
export { MAX_OCCURRENCES_A_DAY } from './occurrences-a-day.js';
