import type { Affiliation } from '../schemas/voice.js';
import type { ResponseSettings } from '../schemas/opening-hours.js';
import { civilDate, durationMs, epochDay, pad2, toLocal } from '@drumbeat/standards/time';
import type { ConversationRecord } from './record.js';
import { openDurationMs } from './response-due.js';

/** What the report reads of an item. */
export type ReportItem = Pick<
  ConversationRecord,
  'id' | 'author' | 'text' | 'receivedAt' | 'status' | 'answeredAt' | 'answeredBy' | 'outsideAnswer'
>;

export interface ReportInput {
  from: Date;
  to: Date;
  now: Date;
  /** The account's IANA zone: weeks are its ISO weeks, opening hours its wall clock. */
  zone: string;
  responses?: ResponseSettings | undefined;
  /** The items received in [from, to), in any order. */
  items: readonly ReportItem[];
  /** The voices that answered, by id (a voice missing here is reported by id only). */
  voices: ReadonlyMap<string, { name: string; affiliation: Affiliation }>;
}

export interface ReportFigures {
  from: string;
  to: string;
  timezone: string;
  /** `opening_hours` when the account's responses set hours, else `elapsed`. */
  countedIn: 'opening_hours' | 'elapsed';
  received: number;
  answered: number;
  dismissed: number;
  unanswered: number;
  weeks: { week: string; start: string; received: number; answered: number; dismissed: number; unanswered: number }[];
  firstResponse: { count: number; medianMs: number | null; p90Ms: number | null };
  sla: { sla: string; judged: number; withinSla: number; share: number | null } | null;
  answersByVoice: { voiceId: string; name: string | null; affiliation: Affiliation | null; answers: number }[];
  answersByAffiliation: { affiliation: Affiliation | 'outside_drumbeat' | 'unknown'; answers: number }[];
  longestWaits: {
    conversationId: string;
    author: { handle: string; displayName?: string };
    text: string;
    receivedAt: string;
    status: ReportItem['status'];
    answeredAt: string | null;
    waitMs: number;
  }[];
}

/** The epoch day of an instant's local date in `zone`. */
function localDay(d: Date, zone: string): number {
  const [y, m, dd] = toLocal(d, zone).slice(0, 10).split('-').map(Number) as [number, number, number];
  return epochDay(y, m, dd);
}

/** The Monday (epoch day) of the ISO week holding epoch day `day`. */
function mondayOf(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7); // 1970-01-01 was a Thursday (ISO weekday index 3)
}

/** `2026-W49` for the ISO week starting on the Monday `monday` (its Thursday decides the year). */
function isoWeekLabel(monday: number): string {
  const [year] = civilDate(monday + 3);
  const week = Math.floor((monday + 3 - epochDay(year, 1, 1)) / 7) + 1;
  return `${year}-W${pad2(week)}`;
}

const isoDate = (day: number) =>
  civilDate(day)
    .map((n, i) => (i === 0 ? String(n).padStart(4, '0') : pad2(n)))
    .join('-');

/** The median (the mean of the two middles for an even count) and the nearest-rank p90 of sorted values. */
export function medianAndP90(sorted: readonly number[]): { medianMs: number | null; p90Ms: number | null } {
  const n = sorted.length;
  if (n === 0) return { medianMs: null, p90Ms: null };
  const mid = Math.floor(n / 2);
  const medianMs = n % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
  return { medianMs, p90Ms: sorted[Math.ceil(0.9 * n) - 1]! };
}

/**
 * The response report of an account over [from, to) (issue 18), pure: the
 * volume per ISO week of the account's zone, the first-response time (median
 * and p90, counted in opening hours when the account sets them, the way its
 * deadlines are), the share answered within the SLA among the items that can
 * be judged (answered, or still open past it; a dismissed item or an open one
 * still within it is not judged), answers by voice and by affiliation (an
 * answer made on the network outside drumbeat is the account's), and the five
 * longest waits (an open item waits until `now`).
 */
export function conversationReport(input: ReportInput): ReportFigures {
  const { zone, responses } = input;
  const hours = responses?.hours;
  const cache = new Map<number, [number, number][]>();
  const waitOf = (i: ReportItem): number =>
    openDurationMs(
      new Date(i.receivedAt),
      i.status === 'answered' && i.answeredAt ? new Date(i.answeredAt) : input.now,
      hours,
      zone,
      cache,
    );

  const firstMonday = mondayOf(localDay(input.from, zone));
  const lastMonday = mondayOf(localDay(new Date(input.to.getTime() - 1), zone));
  const weeks: ReportFigures['weeks'] = [];
  for (let m = firstMonday; m <= lastMonday; m += 7)
    weeks.push({ week: isoWeekLabel(m), start: isoDate(m), received: 0, answered: 0, dismissed: 0, unanswered: 0 });

  const slaMs = responses ? durationMs(responses.sla) : undefined;
  const responseTimes: number[] = [];
  const byVoice = new Map<string, number>();
  const byAffiliation = new Map<ReportFigures['answersByAffiliation'][number]['affiliation'], number>();
  const waits: ReportFigures['longestWaits'] = [];
  let answered = 0,
    dismissed = 0,
    unanswered = 0,
    judged = 0,
    within = 0;

  for (const i of input.items) {
    const week = weeks[(mondayOf(localDay(new Date(i.receivedAt), zone)) - firstMonday) / 7];
    if (week) week.received++;
    if (i.status === 'dismissed') {
      dismissed++;
      if (week) week.dismissed++;
      continue;
    }
    const wait = waitOf(i);
    waits.push({
      conversationId: i.id,
      author: i.author,
      text: i.text,
      receivedAt: i.receivedAt,
      status: i.status,
      answeredAt: i.answeredAt ?? null,
      waitMs: wait,
    });
    if (i.status === 'answered') {
      answered++;
      if (week) week.answered++;
      responseTimes.push(wait);
      if (slaMs !== undefined) {
        judged++;
        if (wait <= slaMs) within++;
      }
      if (i.outsideAnswer || !i.answeredBy)
        byAffiliation.set('outside_drumbeat', (byAffiliation.get('outside_drumbeat') ?? 0) + 1);
      else {
        byVoice.set(i.answeredBy, (byVoice.get(i.answeredBy) ?? 0) + 1);
        const aff = input.voices.get(i.answeredBy)?.affiliation ?? 'unknown';
        byAffiliation.set(aff, (byAffiliation.get(aff) ?? 0) + 1);
      }
    } else {
      unanswered++;
      if (week) week.unanswered++;
      if (slaMs !== undefined && wait > slaMs) judged++;
    }
  }

  responseTimes.sort((a, b) => a - b);
  waits.sort(
    (a, b) =>
      b.waitMs - a.waitMs ||
      a.receivedAt.localeCompare(b.receivedAt) ||
      a.conversationId.localeCompare(b.conversationId),
  );
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    timezone: zone,
    countedIn: hours?.length ? 'opening_hours' : 'elapsed',
    received: input.items.length,
    answered,
    dismissed,
    unanswered,
    weeks,
    firstResponse: { count: responseTimes.length, ...medianAndP90(responseTimes) },
    sla: responses ? { sla: responses.sla, judged, withinSla: within, share: judged ? within / judged : null } : null,
    answersByVoice: [...byVoice]
      .map(([voiceId, answers]) => {
        const v = input.voices.get(voiceId);
        return { voiceId, name: v?.name ?? null, affiliation: v?.affiliation ?? null, answers };
      })
      .sort((a, b) => b.answers - a.answers || a.voiceId.localeCompare(b.voiceId)),
    answersByAffiliation: [...byAffiliation]
      .map(([affiliation, answers]) => ({ affiliation, answers }))
      .sort((a, b) => b.answers - a.answers || a.affiliation.localeCompare(b.affiliation)),
    longestWaits: waits.slice(0, 5),
  };
}

/** The longest report range: a year (a leap one included). */
export const REPORT_MAX_MS = 366 * 86_400_000;
/** The range when none is given: the last 90 days. */
export const REPORT_DEFAULT_MS = 90 * 86_400_000;
