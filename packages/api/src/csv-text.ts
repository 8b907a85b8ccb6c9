/**
 * CSV text (RFC 4180, comma separated) read and written without a library.
 *
 * The reader behaves like csv-parse with `{ bom, skip_empty_lines, trim }`:
 * a leading BOM is dropped, blank lines are skipped, whitespace around a field
 * (quoted or not) is dropped, and every record must have as many fields as the
 * first. Deliberate differences (pinned in the tests): any CRLF, LF or lone CR
 * outside quotes ends a record, where csv-parse keeps to the kind of line end
 * it met first; a non-ASCII space after a closing quote is trimmed, where
 * csv-parse refuses it; and nothing but whitespace may follow a closing quote,
 * where csv-parse lets `"" ""` through.
 * The writer quotes like RFC 4180 asks (see `writeCsv`).
 */

/** A CSV text that cannot be read; `line` is the 1-based line where the faulty record starts. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

// Whitespace trimmed around fields: JavaScript's `trim` set, which is also
// csv-parse's, less the line breaks (they end records here).
const SPACES = /[^\S\r\n]*/y;
const UNQUOTED = /[^",\r\n]*/y;

/** Where a sticky pattern's match starting at `from` ends. */
function matchEnd(pattern: RegExp, s: string, from: number): number {
  pattern.lastIndex = from;
  pattern.test(s);
  return pattern.lastIndex;
}

/** Line breaks in `s`, a CRLF counting once. */
function lineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\n' || (s[i] === '\r' && s[i + 1] !== '\n')) n++;
  }
  return n;
}

/** Reads CSV text into records of trimmed fields; throws a CsvError for malformed text. */
export function readCsv(text: string): string[][] {
  const s = text.startsWith('\ufeff') ? text.slice(1) : text;
  const records: string[][] = [];
  let i = 0;
  let line = 1;
  while (i < s.length) {
    const recordLine = line;
    const record: string[] = [];
    for (;;) {
      i = matchEnd(SPACES, s, i);
      let value: string;
      const quoted = s[i] === '"';
      if (quoted) {
        value = '';
        let from = i + 1;
        for (;;) {
          const close = s.indexOf('"', from);
          if (close < 0) throw new CsvError('a quoted field is never closed (its closing quote is missing)', recordLine);
          const chunk = s.slice(from, close);
          line += lineBreaks(chunk);
          value += chunk;
          if (s[close + 1] !== '"') {
            i = close + 1;
            break;
          }
          value += '"';
          from = close + 2;
        }
        i = matchEnd(SPACES, s, i);
        if (i < s.length && s[i] !== ',' && s[i] !== '\r' && s[i] !== '\n') {
          throw new CsvError(`a quoted field must end at its closing quote, but ${JSON.stringify(s[i])} follows it`, recordLine);
        }
      } else {
        const end = matchEnd(UNQUOTED, s, i);
        if (s[end] === '"') {
          throw new CsvError('a quote inside an unquoted field (quote the whole field and double the quotes inside it)', recordLine);
        }
        value = s.slice(i, end).trimEnd();
        i = end;
      }
      if (s[i] === ',') {
        record.push(value);
        i++;
        continue;
      }
      // A line end or the end of the text. A line of nothing but whitespace is blank, and skipped.
      if (record.length > 0 || quoted || value !== '') {
        record.push(value);
        const expected = records[0]?.length ?? record.length;
        if (record.length !== expected) {
          throw new CsvError(`this record has ${record.length} field${record.length === 1 ? '' : 's'} but the first has ${expected}`, recordLine);
        }
        records.push(record);
      }
      break;
    }
    if (i < s.length) {
      i += s[i] === '\r' && s[i + 1] === '\n' ? 2 : 1;
      line++;
    }
  }
  return records;
}

/** A cell's text as csv-stringify writes it by default. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? '1' : '';
    case 'object':
      return value instanceof Date ? String(value.getTime()) : (JSON.stringify(value) ?? '');
    default:
      throw new TypeError(`a CSV cell cannot hold a ${typeof value}`);
  }
}

/**
 * Writes records as CSV, each ending with CRLF (the last too). Cells are
 * written like csv-stringify's defaults (null/undefined empty, true "1", false
 * empty, a Date as epoch milliseconds, an object as JSON); a cell is quoted
 * when it holds a comma, a quote, a CR or an LF, its quotes doubled.
 * (csv-stringify with `record_delimiter: '\r\n'` leaves a lone LF or CR
 * unquoted, which splits the record for every other reader.)
 */
export function writeCsv(rows: readonly (readonly unknown[])[]): string {
  let out = '';
  for (const row of rows) {
    const cells: string[] = [];
    for (let j = 0; j < row.length; j++) {
      const text = cellText(row[j]);
      cells.push(/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
    }
    out += `${cells.join(',')}\r\n`;
  }
  return out;
}
