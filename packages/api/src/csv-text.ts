/**
 * drumbeat's CSV: the standard reader and writer (@drumbeat/standards/csv)
 * with cells that a spreadsheet would run as a formula neutralised on the way
 * out and restored on the way in, so what is exported reads back byte for byte.
 */
import { CsvError, readCsv as readRecords, writeCsv as writeRecords } from '@drumbeat/standards/csv';

export { CsvError };

// OWASP (CSV injection): a cell starting with = + - @, a tab or a CR is a
// formula to a spreadsheet. It is written with a leading apostrophe; a cell of
// apostrophes before such a character gets one more, so reading strips
// exactly one and every text survives the round trip.
const FORMULA = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

/** The cell as written to a CSV export: a would-be formula behind an apostrophe. */
export function neutraliseCell(text: string): string {
  return FORMULA.test(text) ? `'${text}` : text;
}

/** The cell as it was before `neutraliseCell`. */
export function restoreCell(text: string): string {
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}

/** Reads CSV text into records (as @drumbeat/standards/csv does), neutralised cells restored; throws a CsvError for malformed text. */
export function readCsv(text: string): string[][] {
  return readRecords(text).map((r) => r.map(restoreCell));
}

/** Writes records as CSV (as @drumbeat/standards/csv does), strings neutralised against formulas. */
export function writeCsv(rows: readonly (readonly unknown[])[], opts: { bom?: boolean } = {}): string {
  return writeRecords(
    rows.map((r) => r.map((v) => (typeof v === 'string' ? neutraliseCell(v) : v))),
    opts,
  );
}
