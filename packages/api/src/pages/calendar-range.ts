/**
 * Calendar arithmetic on plain local dates (YYYY-MM-DD): no time zone is
 * involved, so nothing here depends on the host's. Weeks start on Monday.
 */

/** The two views of the calendar page. */
export type CalendarViewKind = 'week' | 'month';

const DAY = 86_400_000;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function parts(date: string): [number, number, number] {
  return date.split('-').map(Number) as [number, number, number];
}

function utc(date: string): number {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d);
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whether `text` is a real calendar date YYYY-MM-DD between the years 1970 and 9999. */
export function isLocalDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y] = parts(text);
  return y >= 1970 && y <= 9999 && iso(utc(text)) === text;
}

/** `date` moved by `days` (negative goes back). */
export function addDays(date: string, days: number): string {
  return iso(utc(date) + days * DAY);
}

/** 0 for Monday … 6 for Sunday. */
export function weekdayIndex(date: string): number {
  return (new Date(utc(date)).getUTCDay() + 6) % 7;
}

/** The weekday's English name. */
export function weekdayName(date: string): string {
  return WEEKDAYS[weekdayIndex(date)]!;
}

/** "Monday 23 November 2026", or without the year. */
export function longDate(date: string, withYear = true): string {
  const [y, m, d] = parts(date);
  return `${weekdayName(date)} ${d} ${MONTHS[m - 1]}${withYear ? ` ${y}` : ''}`;
}

/** "Mon 23 Nov". */
export function shortDate(date: string): string {
  const [, m, d] = parts(date);
  return `${weekdayName(date).slice(0, 3)} ${d} ${MONTHS[m - 1]!.slice(0, 3)}`;
}

/** The first day of the month `delta` months from `date`'s. */
export function monthStart(date: string, delta = 0): string {
  const [y, m] = parts(date);
  return iso(Date.UTC(y, m - 1 + delta, 1));
}

/** What one view shows: its days (whole weeks), the month it is about, its title and its neighbours. */
export interface CalendarRange {
  view: CalendarViewKind;
  /** The date the view was asked for. */
  date: string;
  /** Every day shown, Monday first, in whole weeks. */
  days: string[];
  /** The day after the last one shown (the window's exclusive end). */
  end: string;
  /** For the month view, YYYY-MM of the month; days outside it are shown dimmed. */
  month?: string;
  title: string;
  previous: string;
  next: string;
}

/** The days a week or month view of `date` shows, with the dates its previous and next links go to. */
export function calendarRange(view: CalendarViewKind, date: string): CalendarRange {
  if (view === 'week') {
    const start = addDays(date, -weekdayIndex(date));
    const days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
    const [y1, m1, d1] = parts(start);
    const [y2, m2, d2] = parts(days[6]!);
    const title =
      y1 !== y2
        ? `${d1} ${MONTHS[m1 - 1]} ${y1} – ${d2} ${MONTHS[m2 - 1]} ${y2}`
        : m1 !== m2
          ? `${d1} ${MONTHS[m1 - 1]} – ${d2} ${MONTHS[m2 - 1]} ${y2}`
          : `${d1}–${d2} ${MONTHS[m2 - 1]} ${y2}`;
    return {
      view,
      date,
      days,
      end: addDays(start, 7),
      title: `Week of ${title}`,
      previous: addDays(start, -7),
      next: addDays(start, 7),
    };
  }
  const first = monthStart(date);
  const last = addDays(monthStart(date, 1), -1);
  const start = addDays(first, -weekdayIndex(first));
  const end = addDays(last, 7 - weekdayIndex(last));
  const days: string[] = [];
  for (let d = start; d < end; d = addDays(d, 1)) days.push(d);
  const [y, m] = parts(first);
  return {
    view,
    date,
    days,
    end,
    month: first.slice(0, 7),
    title: `${MONTHS[m - 1]} ${y}`,
    previous: monthStart(date, -1),
    next: monthStart(date, 1),
  };
}
