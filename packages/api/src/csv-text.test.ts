import { expectRoundTrip } from '@drumbeat/standards/test-csv-round-trip';
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
    expectRoundTrip(writeCsv, readCsv, neutraliseCell);
    expect(["'=x", "''=x", "'x", '=x'].map((s) => restoreCell(neutraliseCell(s)))).toEqual(["'=x", "''=x", "'x", '=x']);
  });
});
