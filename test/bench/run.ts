/**
 * `npm run bench`: runs every benchmark, prints one table and writes it as JSON
 * to bench-results/latest.json with the load average. `--quick` shrinks sizes (a smoke run);
 * `--only=<part of a name>` runs some benches alone (e.g. `npm run bench -- --only=restart`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Bench, Figure } from './figure.js';
import { benches } from './registry.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

/** The machine's load (1, 5, 15 min), printed and saved with the figures: timings on a busy machine are pessimistic. */
const loadavg = () => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').trim();
  } catch {
    return 'unknown';
  }
};
const loadBefore = loadavg();
process.stderr.write(`load average before: ${loadBefore}\n`);

const rows: (Figure & { bench: string })[] = [];
for (const b of benches as Bench[]) {
  if (only && !b.name.includes(only)) continue;
  const started = Date.now();
  process.stderr.write(`▶ ${b.name}\n`);
  const figures = await b.run({ quick, progress: (m) => process.stderr.write(`  … ${m}\n`) });
  process.stderr.write(`✔ ${b.name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  for (const f of figures) rows.push({ bench: b.name, ...f });
}

const table = rows.map((r) => ({
  figure: r.name,
  value: `${fmt(r.value)} ${r.unit}`,
  baseline: r.baseline ? `${fmt(r.baseline.value)} ${r.baseline.unit} (${r.baseline.name})` : '',
  ratio: r.ratio === undefined ? '' : fmt(r.ratio),
  budget: r.budget ?? '',
  within: r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
}));
console.table(table);
const loadAfter = loadavg();
console.log(`load average before: ${loadBefore}; after: ${loadAfter}`);
mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/latest.json',
  JSON.stringify(
    { at: new Date().toISOString(), quick, loadavg: { before: loadBefore, after: loadAfter }, rows },
    null,
    2,
  ),
);
console.log('written bench-results/latest.json');
