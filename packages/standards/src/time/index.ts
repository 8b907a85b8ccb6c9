/**
 * Time zone arithmetic over Intl: IANA zones, local wall times to instants and
 * back, ISO 8601 instants and durations, computed without Temporal or a zone
 * library (the host's TZ never matters). Tests compare it with
 * temporal-polyfill, a test-only oracle.
 *
 * Delete it when the Lambda runtime ships Temporal natively (Node with
 * `Temporal` on by default): `Temporal.ZonedDateTime`, `Temporal.Instant` and
 * `Temporal.Duration` do all of this; or when a library that does fits the
 * cold-start budget (DESIGN.md, Performance).
 */
export { parseDurationMs, durationMs } from './duration.js';
export { canonicalZone } from './zone.js';
export { toIso, parseInstant, toLocal } from './instant.js';
export { localToInstant } from './local.js';
export { ZoneTable, zoneTable } from './zone-table.js';
export { civilDate, daysInMonth, epochDay, isLeapYear, pad2 } from './civil.js';
