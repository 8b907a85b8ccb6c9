import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zoneTable } from '../time/zone-table.js';
import { expandRule, prepareRule } from './expand.js';
import { firstOccurrences } from './sub-daily.js';
import { civil } from './fast-path.js';
import { buildRRule, expandGeneral } from './general-path.js';
import { rulePlan } from './rule-plan.js';
import { Temporal } from 'temporal-polyfill';

// Zones with every kind of transition: northern and southern DST, 30- and
// 45-minute offsets and shifts, changes at midnight, no DST at all.
const ZONES = [
  'America/New_York',
  'Europe/Paris',
  'Europe/London',
  'Australia/Sydney',
  'Pacific/Auckland',
  'America/Santiago',
  'America/Havana',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/St_Johns',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'UTC',
];
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const DAY = 86_400_000;

/** `arb` one time in four, else undefined. */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });
const subset = <T>(xs: T[], min = 1, max = 3) => fc.uniqueArray(fc.constantFrom(...xs), { minLength: min, maxLength: max });

/**
 * Rules of every shape the direct expansion claims, biased to hours DST
 * changes touch: DAILY, WEEKLY, MONTHLY and YEARLY ones, and HOURLY and MINUTELY ones
 * (whose intervals in elapsed time drift against the wall clock).
 */
const rule = fc
  .record({
    freq: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'HOURLY', 'MINUTELY'),
    interval: fc.option(fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 12, 25, 90), { nil: undefined }),
    byDay: fc.option(subset(DAYS, 1, 4), { nil: undefined }),
    // For MONTHLY rules: ordinal weekdays, and days of the month counted from either end.
    nth: fc.option(subset(['1MO', '2TU', '-1FR', '3WE', '5SU', '-2TH', 'SA'], 1, 3), { nil: undefined }),
    byMonthDay: rarely(subset([1, 15, 28, 29, 30, 31, -1, -2], 1, 3)),
    bySetPos: rarely(subset([1, 2, -1, -2, 7], 1, 2)),
    byHour: fc.option(subset([0, 1, 2, 3, 9, 12, 23], 1, 3), { nil: undefined }),
    byMinute: fc.option(subset([0, 15, 30, 45, 59], 1, 2), { nil: undefined }),
    bySecond: fc.option(subset([0, 30], 1, 1), { nil: undefined }),
    byMonth: rarely(subset([1, 3, 4, 9, 10, 11], 1, 3)),
    wkst: fc.option(fc.constantFrom('MO', 'SU', 'WE'), { nil: undefined }),
    untilDays: rarely(fc.integer({ min: 0, max: 40 })),
    count: fc.oneof({ arbitrary: fc.constant(undefined), weight: 7 }, { arbitrary: fc.integer({ min: 1, max: 60 }), weight: 1 }),
  });

/** The local dates in 2025–2027 on which `zone` changes its offset, read from Temporal. */
function transitionDays(zone: string): number[] {
  const days: number[] = [];
  let z: Temporal.ZonedDateTime | null = Temporal.Instant.from('2025-01-01T00:00Z').toZonedDateTimeISO(zone);
  while ((z = z.getTimeZoneTransition('next')) && z.year < 2028) days.push(Date.parse(`${z.toPlainDate()}T00:00Z`));
  return days;
}

/** A zone and a window start over 2025–2027, most often the day before that zone changes its clocks. */
const zoneAndStart = fc.constantFrom(...ZONES).chain((zone) => {
  const changes = transitionDays(zone);
  const anywhere = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 1) });
  const nearChange = changes.length ? fc.constantFrom(...changes).map((d) => d - DAY) : anywhere;
  return fc.tuple(fc.constant(zone), fc.oneof({ arbitrary: nearChange, weight: 3 }, { arbitrary: anywhere, weight: 1 }));
});

type RuleShape = typeof rule extends fc.Arbitrary<infer T> ? T : never;

function ruleText(r: RuleShape, from: number): string {
  const parts = [`FREQ=${r.freq}`];
  const subDaily = r.freq === 'HOURLY' || r.freq === 'MINUTELY';
  if (r.interval) parts.push(`INTERVAL=${subDaily ? r.interval : (r.interval % 4) + 1}`);
  const byDay = r.freq === 'MONTHLY' || (r.freq === 'YEARLY' && r.byMonth) ? r.nth : r.byDay;
  if (byDay) parts.push(`BYDAY=${byDay.join(',')}`);
  if (r.byMonthDay && r.freq !== 'WEEKLY') parts.push(`BYMONTHDAY=${r.byMonthDay.join(',')}`);
  if (r.bySetPos && r.freq === 'MONTHLY' && (byDay || r.byMonthDay)) parts.push(`BYSETPOS=${r.bySetPos.join(',')}`);
  if (r.byHour) parts.push(`BYHOUR=${r.byHour.join(',')}`);
  if (r.byMinute) parts.push(`BYMINUTE=${r.byMinute.join(',')}`);
  if (r.bySecond) parts.push(`BYSECOND=${r.bySecond.join(',')}`);
  if (r.byMonth) parts.push(`BYMONTH=${r.byMonth.join(',')}`);
  if (r.wkst && !subDaily) parts.push(`WKST=${r.wkst}`);
  // COUNT counts slots; rrule-temporal counts a repeated hour's second pass too, so only day-based rules compare.
  // (Not with BYMONTH, which with INTERVAL easily makes a rule that never occurs: rrule-temporal then walks 50,000 periods.)
  if (r.count && !subDaily && !r.byMonth) parts.push(`COUNT=${r.count}`);
  if (r.untilDays !== undefined && !parts.some((p) => p.startsWith('COUNT='))) {
    const u = new Date(from + r.untilDays * DAY + 9 * 3_600_000).toISOString();
    parts.push(`UNTIL=${u.slice(0, 19).replace(/[-:]/g, '')}Z`);
  }
  return parts.join(';');
}

describe('the direct expansion', () => {
  // A thousand generated cases (AGREE_RUNS=n for more, with a random seed): seconds, more on a busy machine.
  it('gives exactly the slots rrule-temporal gives, for generated rules, zones, anchors and windows', { timeout: 120_000 }, () => {
    let runs = 0;
    let withSlots = 0;
    const stats = new Map<string, number>();
    fc.assert(
      fc.property(
        rule,
        zoneAndStart,
        // The default anchor, and anchors on change days (in some zones their midnight does not exist).
        fc.oneof({ arbitrary: fc.constant('2001-01-01'), weight: 3 }, fc.constantFrom('2025-09-07', '2026-03-08', '2026-03-29', '2026-09-06')),
        fc.integer({ min: 1, max: 120 }),
        (r, [zone, from], anchor, days) => {
          const text = ruleText(r, from);
          const plan = rulePlan(text);
          expect(plan.fast ?? plan.uncounted?.fast, text).toBeTruthy();
          // Sub-daily rules over windows of hours to a few days; the others over days to months.
          const to = from + (r.freq === 'MINUTELY' ? days * 3_600_000 : r.freq === 'HOURLY' ? days * 4 * 3_600_000 : r.freq === 'YEARLY' ? days * 10 * DAY : days * DAY);
          const anchorZdt = Temporal.PlainDate.from(anchor).toZonedDateTime({ timeZone: zone });
          const point = { day: Date.parse(`${anchor}T00:00Z`) / DAY, ms: anchorZdt.epochMilliseconds };
          const rrule = buildRRule(plan, anchorZdt);
          const fast = expandRule(prepareRule(plan, zone, point, anchorZdt), from, to, 10_000);
          let general: number[] = [];
          if (r.freq === 'HOURLY' || r.freq === 'MINUTELY') {
            // rrule-temporal steps in elapsed time through a repeated hour; the policy then
            // moves each slot to the first instant showing its local time.
            const m = 6 * 3_600_000 + (plan.fast!.freq === 'HOURLY' ? 3_600_000 : 60_000) * (r.interval ?? 1);
            const raw: number[] = [];
            expandGeneral(rrule, plan, from - m, to + m, 100_000, raw);
            general = firstOccurrences(zoneTable(zone, from - 2 * m, to + 2 * m), raw)
              .filter((e) => e >= from && e < to)
              .slice(0, 10_000);
          } else {
            try {
              expandGeneral(rrule, plan, from, to, 10_000, general);
            } catch (err) {
              // A COUNT rule with no slot at all: rrule-temporal gives up walking it; the engine must give none.
              expect(String(err), text).toContain('Maximum iterations');
              fc.pre(false);
            }
          }
          runs++;
          if (general.length > 0) withSlots++;
          if (general.length > 0) stats.set(r.freq, (stats.get(r.freq) ?? 0) + 1);
          expect(fast.map((ms) => new Date(ms).toISOString()), `${text} in ${zone} from ${anchor}`).toEqual(
            general.map((ms) => new Date(ms).toISOString()),
          );
        },
      ),
      { numRuns: Number(process.env.AGREE_RUNS ?? 1000), ...(process.env.AGREE_RUNS ? {} : { seed: 20_260_308 }) },
    );
    // The comparison means something only if many generated cases, of every frequency, have slots.
    expect(withSlots).toBeGreaterThan(runs * 0.4);
    for (const freq of ['MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']) expect(stats.get(freq) ?? 0, freq).toBeGreaterThan(runs / 30);
  });

  it('is the path taken by the common shapes, and not by COUNT, BYWEEKNO, yearly ordinals or non-monthly BYSETPOS', () => {
    expect(rulePlan('FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30').fast).not.toBeNull();
    expect(rulePlan('FREQ=DAILY;INTERVAL=2;BYHOUR=8,18;UNTIL=20270101T000000Z').fast).not.toBeNull();
    expect(rulePlan('FREQ=MONTHLY;BYDAY=1MO,-1FR;BYHOUR=9').fast).not.toBeNull();
    expect(rulePlan('FREQ=DAILY;COUNT=5').fast).toBeNull();
    expect(rulePlan('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1').fast).not.toBeNull();
    expect(rulePlan('FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=-1').fast).toBeNull();
    expect(rulePlan('FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU').fast).not.toBeNull();
    expect(rulePlan('FREQ=YEARLY;BYDAY=20MO').fast).toBeNull();
    expect(rulePlan('FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO').fast).toBeNull();
    expect(rulePlan('FREQ=HOURLY;INTERVAL=8;BYDAY=MO,TU').fast).not.toBeNull();
    expect(rulePlan('FREQ=MINUTELY;INTERVAL=30;BYHOUR=9,10').fast).not.toBeNull();
    expect(rulePlan('FREQ=HOURLY;BYSETPOS=1;BYMINUTE=0,30').fast).toBeNull();
  });
});

describe('calendar arithmetic', () => {
  it('turns an epoch day number into the date Date.UTC gives, from 1600 to 2400', () => {
    fc.assert(
      fc.property(fc.integer({ min: -135_000, max: 157_000 }), (day) => {
        const d = new Date(day * DAY);
        expect(civil(day)).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]);
      }),
      { seed: 1, numRuns: 5000 },
    );
  });
});
