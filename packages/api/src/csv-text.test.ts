import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, readCsv, writeCsv } from './csv-text.js';

/** The options the import route gave csv-parse before readCsv. */
const PARSE_OPTIONS = { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false };

const csvError = (fn: () => unknown): CsvError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof CsvError) return err;
    throw err;
  }
  throw new Error('expected a CsvError');
};

describe('readCsv', () => {
  it('reads records of comma-separated fields, with CRLF, LF or lone CR line ends', () => {
    expect(readCsv('a,b\r\nc,d\r\n')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(readCsv('a,b\nc,d')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(readCsv('a,b\rc,d\r')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(readCsv('a,\n,b\n,')).toEqual([['a', ''], ['', 'b'], ['', '']]);
    expect(readCsv('')).toEqual([]);
  });

  it('reads quoted fields: commas, doubled quotes and line breaks inside, the quotes dropped', () => {
    expect(readCsv('"a,b","say ""hi""","line one\nline two\r\nthree"\r\nx,"",y')).toEqual([
      ['a,b', 'say "hi"', 'line one\nline two\r\nthree'],
      ['x', '', 'y'],
    ]);
    expect(readCsv('""""')).toEqual([['"']]);
  });

  it('trims whitespace around every field, quoted or not, and keeps it inside quotes', () => {
    expect(readCsv(' a , b c \t,  "  d  "  ,\u00a0e\u3000')).toEqual([['a', 'b c', '  d  ', 'e']]);
    // csv-parse refuses a non-ASCII space after a closing quote (it checks the bytes one by one); we trim it like any other.
    expect(readCsv('"a"\u00a0,"b"\u3000')).toEqual([['a', 'b']]);
  });

  it('drops a leading BOM and skips blank lines, even ones holding only whitespace', () => {
    expect(readCsv('\ufeffaccount,at\n\n  \t \r\n@acme,next\n\n')).toEqual([['account', 'at'], ['@acme', 'next']]);
    // A line with an empty quoted field or a lone comma is a record, not a blank line.
    expect(readCsv('""\n\n  ""  ')).toEqual([[''], ['']]);
    expect(readCsv(',')).toEqual([['', '']]);
  });

  it('refuses a quoted field that is never closed, naming the line its record starts on', () => {
    const err = csvError(() => readCsv('account,at,text\n@acme,next,"unterminated\nsecond line\n'));
    expect(err).toMatchObject({ name: 'CsvError', line: 2 });
    expect(err.message).toMatch(/never closed/);
  });

  it('refuses text after a closing quote, and a quote inside an unquoted field', () => {
    for (const text of ['"ab"c', '"ab" c', '"ab" "c"', '"" ""']) {
      expect(csvError(() => readCsv(`x\n${text}`))).toMatchObject({ line: 2, message: expect.stringMatching(/must end at its closing quote/) });
    }
    const err = csvError(() => readCsv('a,b\r\nc,d"e'));
    expect(err).toMatchObject({ line: 2, message: expect.stringMatching(/quote inside an unquoted field/) });
  });

  it('refuses a record with more or fewer fields than the first, counting lines inside quoted fields', () => {
    expect(csvError(() => readCsv('a,b\nc'))).toMatchObject({ line: 2, message: 'this record has 1 field but the first has 2' });
    const err = csvError(() => readCsv('a,b\n"multi\r\nline",x\n\nc,d,e\n'));
    expect(err).toMatchObject({ line: 5, message: 'this record has 3 fields but the first has 2' });
  });

  it('ends a record at every kind of line end, where csv-parse keeps to the first kind it met', () => {
    // csv-parse, having met CRLF first, reads the lone LF as part of a field: [['a'], ['b\nc']].
    expect(readCsv('a\r\nb\nc')).toEqual([['a'], ['b'], ['c']]);
    expect(parse('a\r\nb\nc', PARSE_OPTIONS)).toEqual([['a'], ['b\nc']]);
  });
});

describe('writeCsv', () => {
  it('writes every record ending with CRLF, quoting only what needs it', () => {
    expect(writeCsv([['id', 'text'], ['1', 'plain text'], ['2', 'a, b'], ['3', 'say "hi"']])).toBe('id,text\r\n1,plain text\r\n2,"a, b"\r\n3,"say ""hi"""\r\n');
    expect(writeCsv([])).toBe('');
    expect(writeCsv([[]])).toBe('\r\n');
  });

  it('quotes a field holding a CR or an LF, and leaves surrounding spaces unquoted', () => {
    expect(writeCsv([['line one\nline two', 'cr\ralone', 'crlf\r\n', '  spaced  ']])).toBe('"line one\nline two","cr\ralone","crlf\r\n",  spaced  \r\n');
  });

  it('writes cells as csv-stringify does: empty for null and undefined, numbers as JS, true 1, false empty, a Date as epoch ms, an object as JSON', () => {
    const row = [null, undefined, 42, -1.5, 0, 10n, true, false, new Date('2026-12-01T08:00:00Z'), { a: 1 }, [1, 2]];
    expect(writeCsv([row])).toBe(',,42,-1.5,0,10,1,,1796112000000,"{""a"":1}","[1,2]"\r\n');
    expect(writeCsv([row])).toBe(stringify([row], { record_delimiter: '\r\n' }));
  });

  it('refuses a cell it cannot write', () => {
    expect(() => writeCsv([[Symbol('s')]])).toThrow(TypeError);
    expect(() => writeCsv([[() => 1]])).toThrow(/cannot hold a function/);
  });
});

// Fields: arbitrary unicode with the characters CSV cares about mixed in.
const special = fc.constantFrom(',', '"', '""', '\r', '\n', '\r\n', ' ', '\t', '\u00a0', '\ufeff', '\u2028');
const field = fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 4 }), special), { maxLength: 6 }).map((parts) => parts.join(''));
const table = fc.integer({ min: 1, max: 5 }).chain((cols) => fc.array(fc.array(field, { minLength: cols, maxLength: cols }), { maxLength: 6 }));
/** A lone CR or LF, which csv-stringify (with a CRLF record delimiter) leaves unquoted. */
const bareLineBreak = (s: string) => /\r(?!\n)|(?<!\r)\n/.test(s);
const needsQuotes = (s: string) => /[",\r\n]/.test(s);

describe('writeCsv and readCsv against csv-stringify and csv-parse', () => {
  it('readCsv(writeCsv(t)) gives t back, less whitespace around unquoted fields and blank one-field lines', () => {
    fc.assert(
      fc.property(table, (t) => {
        const expected = t
          .map((row) => row.map((f) => (needsQuotes(f) ? f : f.trim())))
          .filter((row) => !(row.length === 1 && row[0] === ''));
        expect(readCsv(writeCsv(t))).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes what csv-stringify writes with quote_record_delimiter, and with the plain CRLF options wherever no field has a lone CR or LF', () => {
    fc.assert(
      fc.property(table, (t) => {
        expect(writeCsv(t)).toBe(stringify(t, { record_delimiter: '\r\n', quote_record_delimiter: true }));
        if (!t.flat().some(bareLineBreak)) expect(writeCsv(t)).toBe(stringify(t, { record_delimiter: '\r\n' }));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads what csv-parse reads, and refuses what it refuses, but for the documented differences', () => {
    // One kind of line end per text: with mixed kinds we differ on purpose (see above).
    const piece = (eol: string) =>
      fc.oneof(fc.constantFrom('a', 'b c', ' ', '\t', ',', '"', '""', eol, eol, '\u00a0', '\ufeff', '\u3000', 'é'), fc.string({ unit: 'binary', maxLength: 2 }).filter((s) => !/[\r\n]/.test(s)));
    const soup = fc.constantFrom('\r\n', '\n', '\r').chain((eol) => fc.array(piece(eol), { maxLength: 30 }).map((p) => p.join('')));
    // Mostly well-formed tables, quoted or not, padded, with blank lines, occasionally ragged.
    const cell = fc.tuple(fc.constantFrom('', ' ', '\t '), fc.oneof(field.map((f) => f.replace(/[",\r\n]/g, '')), field.map((f) => `"${f.replaceAll('"', '""')}"`)), fc.constantFrom('', ' ', ' \t'));
    const tidy = fc
      .tuple(fc.constantFrom('\r\n', '\n', '\r'), fc.integer({ min: 1, max: 4 }), fc.array(fc.tuple(fc.array(cell, { minLength: 1, maxLength: 5 }), fc.boolean()), { maxLength: 5 }), fc.boolean())
      .map(([eol, cols, rows, bom]) => {
        const lines = rows.map(([cells, blankAfter]) => cells.slice(0, cols).map((c) => c.join('')).join(',') + (blankAfter ? eol : ''));
        return (bom ? '\ufeff' : '') + lines.join(eol);
      });
    let agreed = 0;
    fc.assert(
      fc.property(fc.oneof(soup, tidy), (text) => {
        // csv-parse reads bytes; lone surrogates would not survive its UTF-8 round trip (the generators make none).
        let ours: string[][] | CsvError;
        let theirs: string[][] | { code: string };
        try {
          ours = readCsv(text);
        } catch (err) {
          if (!(err instanceof CsvError)) throw err;
          ours = err;
        }
        try {
          theirs = parse(text, PARSE_OPTIONS) as string[][];
        } catch (err) {
          theirs = err as { code: string };
        }
        if (Array.isArray(ours) && Array.isArray(theirs)) {
          expect(ours).toEqual(theirs);
          agreed++;
        } else if (Array.isArray(theirs)) {
          // csv-parse reopens a quote after an empty quoted field ('"" ""' reads as ""); we refuse text after a closing quote.
          expect((ours as CsvError).message).toMatch(/must end at its closing quote/);
          expect(text).toMatch(/""[^\S\r\n]*"/);
        } else if (Array.isArray(ours)) {
          // csv-parse refuses a multi-byte space (NBSP, BOM, ideographic space...) after a closing quote; we trim it.
          expect(theirs.code).toBe('CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE');
          expect(text).toMatch(/"[^\S\r\n]*[\u0080-\uffff]/);
        }
      }),
      { numRuns: 5000 },
    );
    // Most generated texts are read, not refused, so the records are really compared.
    expect(agreed).toBeGreaterThan(1000);
  });

  it('keeps lone surrogates and every other code unit as they are', () => {
    const t = [['\ud800x', 'y\udfff'], ['\u0000', '\uffff']];
    expect(readCsv(writeCsv(t))).toEqual(t);
  });
});
