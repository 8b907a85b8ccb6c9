/**
 * Guard against runaway rules: one call returns at most this many slots (the
 * earliest ones), and a rule's COUNT may not exceed it, so no call ever
 * expands more than about this many occurrences of a rule.
 */
export const MAX_SLOTS_PER_CALL = 10_000;

/**
 * The default DTSTART anchor of every slot rule: 2001-01-01T00:00 local time in
 * the account's zone. That day is a Monday, the first of a month and of a year
 * (and ISO week 1 starts on it), so a rule without BYDAY, BYMONTHDAY or BYMONTH
 * falls on Mondays, the 1st, or January 1st, and one without BYHOUR at midnight.
 */
export const DEFAULT_ANCHOR = '2001-01-01';
