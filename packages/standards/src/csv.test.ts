import { describe, expect, it } from 'vitest';
import { type CsvError, readCsv, writeCsv } from './csv.js';
import { expectRoundTrip } from './test-csv-round-trip.js';

describe('readCsv', () => {
  it('reads records with any line end, quoted fields whole, whitespace trimmed outside quotes only', () => {
    expect(readCsv('a,b\r\nc,d\ne,f\rg,h')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
    expect(readCsv('\ufeff"a,b","say ""hi""","one\ntwo"\r\n\r\nx,"",y')).toEqual([
      ['a,b', 'say "hi"', 'one\ntwo'],
      ['x', '', 'y'],
    ]);
    expect(readCsv(' a , " b\u00a0" ,"\tc\t"')).toEqual([['a', ' b\u00a0', '\tc\t']]);
  });

  it('refuses malformed text with the line where it stopped', () => {
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as CsvError;
      }
      throw new Error('expected a CsvError');
    };
    expect(err(() => readCsv('a,b\nc,"open'))).toMatchObject({ name: 'CsvError', line: 2 });
    expect(err(() => readCsv('a,b\nc\n'))).toMatchObject({ name: 'CsvError', line: 2 });
  });
});

describe('writeCsv', () => {
  it('quotes what a trimming reader or a spreadsheet would change: separators, quotes, line breaks, leading and trailing whitespace', () => {
    expect(writeCsv([['a', ' b', 'c ', '\u00a0d', 'e\tf', 'g\rh', 'i\nj', 'k,l', 'm"n', 1, null]])).toBe(
      'a," b","c ","\u00a0d",e\tf,"g\rh","i\nj","k,l","m""n",1,\r\n',
    );
    expect(writeCsv([['x']], { bom: true })).toBe('\ufeffx\r\n');
  });

  it('reads back every text it wrote, byte for byte, and csv-parse reads the same cells', () => {
    expectRoundTrip(writeCsv, readCsv);
  });
});
