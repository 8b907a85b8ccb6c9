import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseCell, readCsv, restoreCell, writeCsv } from './csv-text.js';

describe('writeCsv', () => {
  it('neutralises cells a spreadsheet would run as a formula (OWASP: = + - @, tab, CR)', () => {
    expect(
      writeCsv([
        ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(A1)', '\tx', '\rx', 'plain', "'quoted"],
      ]),
    ).toBe(`"'=HYPERLINK(""http://x"")",'+cmd|' /C calc'!A0,'-2+3,'@SUM(A1),'\tx,"'\rx",plain,'quoted\r\n`);
    // numbers are written as numbers, not neutralised
    expect(writeCsv([[-1]])).toBe('-1\r\n');
  });

  it('reads back every text it wrote, byte for byte, and csv-parse reads the same cells but for the apostrophe', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (rows) => {
          const text = writeCsv(rows);
          expect(readCsv(text)).toEqual(rows);
          const raw = parse(text, { record_delimiter: ['\r\n'] }) as string[][];
          expect(raw).toEqual(rows.map((r) => r.map(neutraliseCell)));
        },
      ),
    );
    expect(["'=x", "''=x", "'x", '=x'].map((s) => restoreCell(neutraliseCell(s)))).toEqual(["'=x", "''=x", "'x", '=x']);
  });
});
