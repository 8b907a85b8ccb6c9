/**
 * CSV text (RFC 4180, comma separated) through csv-parse and csv-stringify,
 * with the options that make it round-trip: cells with leading or trailing
 * whitespace or a line break are quoted, so what is written reads back byte
 * for byte. (Neutralising spreadsheet formulas is the caller's choice:
 * packages/api/src/csv-text.ts.)
 *
 * Delete it when the CSV libraries' own options say all this (it is a thin
 * adapter: what it keeps is the choice of options and the error type).
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

/**
 * Reads CSV text into records (a leading BOM dropped, blank lines skipped,
 * whitespace around an unquoted field trimmed, whitespace inside quotes kept,
 * any of CRLF, LF and CR ending a record); every
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
  return records;
}

/**
 * Writes records as CSV, each ending with CRLF. A cell is quoted when it holds a comma, a quote, a CR or an
 * LF, or starts or ends with whitespace (a reader trimming fields keeps it).
 * `bom` starts the text with a UTF-8 byte order mark, for spreadsheets that
 * otherwise guess another encoding.
 */
export function writeCsv(rows: readonly (readonly unknown[])[], opts: { bom?: boolean } = {}): string {
  const text = stringify(rows as unknown[][], { record_delimiter: '\r\n', quoted_match: /^\s|\s$|[\r\n]/ });
  return opts.bom ? `\ufeff${text}` : text;
}
