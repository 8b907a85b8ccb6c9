/**
 * The most slots a rule may give in one day: one a minute. A posting
 * scheduler has no use for more, and each slot of a day costs work on every
 * query (and memory in the rule's plan), so a rule giving more is refused
 * when it is checked rather than cut silently.
 */
export const MAX_OCCURRENCES_A_DAY = 1440;

const DAY_MINUTES = 1440;

/**
 * How many wall times a day a rule can give at most, from its FREQ, INTERVAL
 * and the sizes of its BYHOUR, BYMINUTE and BYSECOND lists (null when absent):
 * for DAILY and longer BYHOUR × BYMINUTE × BYSECOND; for HOURLY (MINUTELY)
 * the periods a day can start (every INTERVAL hours or minutes, only in the
 * hours and minutes kept) times each period's BYMINUTE × BYSECOND (BYSECOND).
 */
export function occurrencesADay(
  freq: string,
  interval: number,
  hours: number | null,
  minutes: number | null,
  seconds: number | null,
): number {
  const s = seconds ?? 1;
  if (freq === 'HOURLY') return Math.min(Math.ceil(24 / interval), hours ?? 24) * (minutes ?? 1) * s;
  if (freq === 'MINUTELY') return Math.min(Math.ceil(DAY_MINUTES / interval), (hours ?? 24) * (minutes ?? 60)) * s;
  return (hours ?? 1) * (minutes ?? 1) * s;
}

/** Why a rule giving `n` wall times a day is refused, naming the parts that multiply up to it; null when within MAX_OCCURRENCES_A_DAY. */
export function occurrencesADayError(freq: string, n: number): string | null {
  if (n <= MAX_OCCURRENCES_A_DAY) return null;
  const parts =
    freq === 'MINUTELY'
      ? 'FREQ=MINUTELY with its INTERVAL, BYHOUR, BYMINUTE and BYSECOND'
      : freq === 'HOURLY'
        ? 'FREQ=HOURLY with its INTERVAL, BYHOUR, BYMINUTE and BYSECOND'
        : 'BYHOUR × BYMINUTE × BYSECOND';
  return `${parts} give up to ${n} slots a day: at most ${MAX_OCCURRENCES_A_DAY} (one a minute) are allowed`;
}
