// For the tests of a CSV writer and its reader (this package's and the API's, which neutralises formulas): their round trip over any text.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * Checks, over any rows of any text, that `read(write(rows))` gives the rows
 * back byte for byte, and that csv-parse reads the written text as the rows'
 * cells, each as `asWritten` makes it (unchanged by default).
 */
export function expectRoundTrip(
  write: (rows: string[][]) => string,
  read: (text: string) => string[][],
  asWritten: (cell: string) => string = (cell) => cell,
): void {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 3, maxLength: 3 }), {
        minLength: 1,
        maxLength: 5,
      }),
      (rows) => {
        const text = write(rows);
        expect(read(text)).toEqual(rows);
        const raw = parse(text, { record_delimiter: ['\r\n'] }) as string[][];
        expect(raw).toEqual(rows.map((r) => r.map(asWritten)));
      },
    ),
  );
}
