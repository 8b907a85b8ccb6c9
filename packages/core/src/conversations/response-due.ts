import { minutesOf, WEEKDAYS, type OpeningHours } from '../schemas/opening-hours.js';
import { civilDate, durationMs, epochDay, localToInstant, pad2, toLocal } from '@drumbeat/standards/time';

/** How far ahead opening hours are searched: more than any SLA (at most P30D) needs, even with one hour a week. */
const MAX_DAYS = 5 * 366;

/**
 * When an item received at `receivedAt` is due for an answer: `sla` (an ISO
 * 8601 duration) after it, counting only the weekly opening `hours` (local
 * wall-clock spans in the IANA `zone`) when they are given. Each day's spans
 * become instants through the zone's own rules, so a span across a DST change
 * counts the real time it lasts (01:00–04:00 on a spring-forward night is two
 * hours). A deadline that lands on a closing time is that closing time.
 * Without hours, every hour counts.
 */
export function responseDueAt(receivedAt: Date, sla: string, hours: OpeningHours | undefined, zone: string): Date {
  let left = durationMs(sla);
  if (!hours?.length) return new Date(receivedAt.getTime() + left);
  const from = receivedAt.getTime();
  const [y, m, d] = toLocal(receivedAt, zone).slice(0, 10).split('-').map(Number) as [number, number, number];
  const first = epochDay(y, m, d);
  for (let day = first; day < first + MAX_DAYS; day++) {
    for (const [start, end] of spansOf(hours, day)) {
      const open = instantAt(day, start, zone);
      const close = instantAt(day, end, zone);
      const begin = Math.max(open, from);
      if (close <= begin) continue;
      if (left <= close - begin) return new Date(begin + left);
      left -= close - begin;
    }
  }
  throw new RangeError(`no deadline within ${MAX_DAYS} days: the opening hours hold too little time for ${sla}`);
}

/** The merged opening spans of an epoch day, as local minutes [start, end), earliest first. */
function spansOf(hours: OpeningHours, day: number): [number, number][] {
  const weekday = WEEKDAYS[(((day + 3) % 7) + 7) % 7]!; // 1970-01-01 was a Thursday
  const spans = hours
    .filter((h) => h.days.includes(weekday))
    .map((h): [number, number] => [minutesOf(h.from), minutesOf(h.to)])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  return merged;
}

/** The instant (ms) of local minute `minute` (0–1440) of an epoch day in `zone`; 24:00 is the next day's midnight. */
function instantAt(day: number, minute: number, zone: string): number {
  const [y, m, d] = civilDate(minute === 1440 ? day + 1 : day);
  const mm = minute % 1440;
  return localToInstant(`${y}-${pad2(m)}-${pad2(d)}T${pad2(Math.floor(mm / 60))}:${pad2(mm % 60)}`, zone).getTime();
}

/**
 * How much of [from, to) falls within the weekly opening `hours` (local spans
 * in `zone`), in ms: the wait of an item counted as its deadline counts it, so
 * a wait within the SLA is exactly an answer by `responseDueAt`. Without hours
 * it is the elapsed time. `cache` (epoch day → its spans as instants) may be
 * shared across calls with the same hours and zone, as a report does.
 */
export function openDurationMs(
  from: Date,
  to: Date,
  hours: OpeningHours | undefined,
  zone: string,
  cache?: Map<number, [number, number][]>,
): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  if (!hours?.length) return b - a;
  const dayOf = (d: Date) => {
    const [y, m, dd] = toLocal(d, zone).slice(0, 10).split('-').map(Number) as [number, number, number];
    return epochDay(y, m, dd);
  };
  let total = 0;
  const last = dayOf(to);
  for (let day = dayOf(from); day <= last; day++) {
    let spans = cache?.get(day);
    if (!spans) {
      spans = spansOf(hours, day).map(([s, e]): [number, number] => [instantAt(day, s, zone), instantAt(day, e, zone)]);
      cache?.set(day, spans);
    }
    for (const [open, close] of spans) total += Math.max(0, Math.min(close, b) - Math.max(open, a));
  }
  return total;
}
