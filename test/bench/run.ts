/**
 * `npm run bench`: runs every benchmark, prints one table and writes it as JSON
 * to bench-results/latest.json. `--quick` shrinks sizes (a smoke run).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Bench, Figure } from './figure.js';
import { benches } from './registry.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

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
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/latest.json', JSON.stringify({ at: new Date().toISOString(), quick, rows }, null, 2));
console.log('written bench-results/latest.json');
