const UNITS: [number, string][] = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1_000, 'second'],
];

/**
 * A duration in words for people, in the largest unit that reads naturally:
 * "2 days", "36 hours", "1 day", "90 seconds". Floored, never rounded up: an
 * alert never claims a longer silence than there was.
 */
export function humanDuration(ms: number): string {
  for (const [size, name] of UNITS) {
    const n = Math.floor(ms / size);
    if (n >= 2 || (n === 1 && ms % size === 0)) return `${n} ${name}${n === 1 ? '' : 's'}`;
  }
  return ms >= 1_000 ? `${Math.floor(ms / 1_000)} second` : 'less than a second';
}
