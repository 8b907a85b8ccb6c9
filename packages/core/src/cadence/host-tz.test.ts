import { describe, expect, it } from 'vitest';
import { findLapses, lapseDeadline, localToInstant, slotsBetween } from './index.js';
import { inHostZone } from '../../../../test/support/host-zone.js';

const CASES = [
  { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'], timezone: 'America/New_York' },
  { slots: ['FREQ=DAILY;BYHOUR=2;BYMINUTE=30', 'FREQ=DAILY;BYHOUR=1;BYMINUTE=30'], timezone: 'America/New_York' },
  { slots: ['FREQ=DAILY;BYHOUR=2,3;BYMINUTE=30'], timezone: 'Europe/Paris' },
  { slots: ['FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;BYHOUR=2'], timezone: 'Pacific/Auckland' },
  {
    slots: ['FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=9', 'FREQ=DAILY;COUNT=3;BYHOUR=0'],
    timezone: 'Australia/Sydney',
    anchor: '2026-04-04',
  },
];
const WINDOWS = [
  ['2026-03-01T00:00Z', '2026-04-15T00:00Z'],
  ['2026-09-20T00:00Z', '2026-11-10T00:00Z'],
];

/** Everything the engine computes for the cases above, as JSON. Runs in this process and in a child. */
function compute(engine: typeof import('./index.js')): string {
  const slots = CASES.map((spec) =>
    WINDOWS.map(([a, b]) => engine.slotsBetween(spec, new Date(a!), new Date(b!)).map((d) => d.toISOString())),
  );
  const locals = ['2026-03-08T02:30', '2026-11-01T01:30', '2026-04-05T02:30'].map((l) =>
    engine.localToInstant(l, 'America/New_York').toISOString(),
  );
  const since = new Date('2026-03-01T00:00Z');
  const deadline = engine.lapseDeadline({ maxGap: 'P2D', minPosts: { count: 2, per: 'P7D' } }, since, [
    new Date('2026-03-02T00:00Z'),
  ]);
  const lapses = engine.findLapses(
    { maxGap: 'P2D' },
    since,
    new Date('2026-03-10T00:00Z'),
    [new Date('2026-03-04T00:00Z')],
    since,
  );
  return JSON.stringify({ slots, locals, deadline, lapses });
}

describe('the cadence engine and the host time zone', () => {
  it('computes the same slots, local times and lapses under TZ=UTC and TZ=Pacific/Auckland', () => {
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(0); // vitest runs us under TZ=UTC
    const here = compute({ slotsBetween, localToInstant, lapseDeadline, findLapses } as typeof import('./index.js'));
    const index = new URL('./index.ts', import.meta.url).href;
    const child = inHostZone(
      'Pacific/Auckland',
      `
      const engine = await import(${JSON.stringify(index)});
      const compute = ${compute.toString()};
      const CASES = ${JSON.stringify(CASES)}, WINDOWS = ${JSON.stringify(WINDOWS)};
      const main = () => compute(engine);
    `,
    );
    expect(child.offset).toBe(-780); // the child really runs in New Zealand summer time
    expect(child.out).toBe(here);
    expect(JSON.parse(here).slots[0][0]).toContain('2026-03-09T13:30:00.000Z');
  });
});
