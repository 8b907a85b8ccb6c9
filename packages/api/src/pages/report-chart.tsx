import type { ReportFigures } from '@drumbeat/core';

const BAR = 18;
const GAP = 6;
const HEIGHT = 120;
const LABEL = 16;

/**
 * The items received per week as a small SVG bar chart, drawn on the server
 * (no script): one bar per ISO week of the report, empty weeks as a flat bar,
 * each with its figure in a title for pointers and the table beside it for
 * everyone else.
 */
export function WeekChart({ weeks }: { weeks: ReportFigures['weeks'] }) {
  const max = Math.max(1, ...weeks.map((w) => w.received));
  const width = Math.max(1, weeks.length) * (BAR + GAP) + GAP;
  return (
    <svg
      class="chart"
      xmlns="http://www.w3.org/2000/svg"
      width={width}
      height={HEIGHT + LABEL}
      viewBox={`0 0 ${width} ${HEIGHT + LABEL}`}
      role="img"
      aria-labelledby="chart-title"
    >
      <title id="chart-title">{`Items received per week, ${weeks.length} week${weeks.length === 1 ? '' : 's'}, at most ${max} in a week`}</title>
      <line x1="0" y1={HEIGHT} x2={width} y2={HEIGHT} stroke="#4b5563" stroke-width="1" />
      {weeks.map((w, i) => {
        const h = Math.max(1, Math.round((w.received / max) * (HEIGHT - 4)));
        const x = GAP + i * (BAR + GAP);
        return (
          <g>
            <rect class="wk" data-week={w.week} x={x} y={HEIGHT - h} width={BAR} height={h} fill="#1d4ed8">
              <title>{`${w.week} (from ${w.start}): ${w.received} received, ${w.answered} answered`}</title>
            </rect>
            <text x={x + BAR / 2} y={HEIGHT + LABEL - 3} font-size="9" text-anchor="middle" fill="#1b1b1b">
              {w.week.slice(6)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
