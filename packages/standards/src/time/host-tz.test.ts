import { describe, expect, it } from 'vitest';
import * as time from './index.js';
import { localToInstant } from './local.js';
import { zoneTable } from './zone-table.js';
import { inHostZone } from '../../../../test/support/host-zone.js';

/** Everything the time module computes for a few zones and instants, as JSON. Runs here and in a child with another TZ. */
function compute(t: typeof import('./index.js'), local: typeof localToInstant, table: typeof zoneTable): string {
  const zones = ['America/New_York', 'Europe/Paris', 'Pacific/Auckland', 'Asia/Kolkata', 'UTC'];
  const at = [
    Date.UTC(1950, 5, 1, 12),
    Date.UTC(2026, 2, 8, 7),
    Date.UTC(2026, 9, 25, 0, 59, 59),
    Date.UTC(2099, 11, 31, 23),
  ];
  return JSON.stringify({
    local: zones.flatMap((z) => at.map((ms) => t.toLocal(ms, z))),
    instants: zones.map((z) => local('2026-03-29T02:30', z).toISOString()),
    parsed: ['2026-03-02T15:30:00+01:00', '20260302T1430Z', '2026-03-02T15:30:00'].map(
      (s) => t.parseInstant(s)?.toISOString() ?? null,
    ),
    zones: ['europe/paris', 'Asia/Calcutta', 'nowhere'].map((z) => t.canonicalZone(z)),
    durations: ['P1W', 'PT1.5H'].map((d) => t.durationMs(d)),
    transitions: zones.map((z) =>
      table(z, Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1)).transitionsIn(Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1)),
    ),
  });
}

describe('the time module and the host time zone', () => {
  it('computes the same under TZ=UTC and TZ=Pacific/Auckland', () => {
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(0); // vitest runs us under TZ=UTC
    const here = compute(time, localToInstant, zoneTable);
    const dir = new URL('./', import.meta.url).href;
    const child = inHostZone(
      'Pacific/Auckland',
      `
      const t = await import(${JSON.stringify(`${dir}index.ts`)});
      const { localToInstant } = await import(${JSON.stringify(`${dir}local.ts`)});
      const { zoneTable } = await import(${JSON.stringify(`${dir}zone-table.ts`)});
      const compute = ${compute.toString()};
      const main = () => compute(t, localToInstant, zoneTable);
    `,
    );
    expect(child.offset).toBe(-780); // the child really runs in New Zealand summer time
    expect(child.out).toBe(here);
    expect(JSON.parse(here).local[1]).toBe('2026-03-08T03:00:00-04:00[America/New_York]'); // the first second of EDT
  });
});
