/**
 * CSV text (RFC 4180, comma separated) through csv-parse and csv-stringify,
 * with what drumbeat adds around them: cells that a spreadsheet would run as a
 * formula are neutralised on the way out (and restored on the way in), and
 * cells with leading or trailing whitespace or a line break are quoted, so
 * what is exported reads back byte for byte.
 */
import { CsvError as ParseError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** A CSV text that cannot be read; `line` is the 1-based line where the parser stopped. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

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

/**
 * Reads CSV text into records (a leading BOM dropped, blank lines skipped,
 * whitespace around an unquoted field trimmed, whitespace inside quotes kept,
 * any of CRLF, LF and CR ending a record, neutralised cells restored); every
 * record must have as many fields as the first. Throws a CsvError for
 * malformed text.
 */
export function readCsv(text: string): string[][] {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as string[][];
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    throw new CsvError(err.message, (err as ParseError & { lines?: number }).lines ?? 1);
  }
  return records.map((r) => r.map(restoreCell));
}

/**
 * Writes records as CSV, each ending with CRLF. Strings are neutralised
 * against formulas; a cell is quoted when it holds a comma, a quote, a CR or an
 * LF, or starts or ends with whitespace (a reader trimming fields keeps it).
 * `bom` starts the text with a UTF-8 byte order mark, for spreadsheets that
 * otherwise guess another encoding.
 */
export function writeCsv(rows: readonly (readonly unknown[])[], opts: { bom?: boolean } = {}): string {
  const cells = rows.map((r) => r.map((v) => (typeof v === 'string' ? neutraliseCell(v) : v)));
  const text = stringify(cells, { record_delimiter: '\r\n', quoted_match: /^\s|\s$|[\r\n]/ });
  return opts.bom ? `\ufeff${text}` : text;
}
