/** The CLI's CSV writer against RFC 4180 (quoting, doubled quotes, CRLF) and the strict reader of the tests. */
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../src/cli/csv.js';
import { parseCsv } from '../helpers/csv.js';

describe('toCsv', () => {
  it('quotes exactly the fields with a comma, a quote, a CR or an LF, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' spaced ')).toBe(' spaced ');
  });

  it('writes numbers exactly, null and non-finite numbers as empty fields, booleans as words', () => {
    expect([0.1 + 0.2, 42, -1e-7, null, undefined, NaN, true].map(csvField)).toEqual(['0.30000000000000004', '42', '-1e-7', '', '', '', 'true']);
  });

  it('round-trips through a strict RFC 4180 reader, CRLF after every record', () => {
    const head = ['number', 'params.mode', 'fail_reason'];
    const rows = [
      [0, 'a,b', null],
      [1, 'c', 'objective "sharpe" is null,\r\nno trades'],
    ];
    const text = toCsv(head, rows);
    expect(text.split('\r\n')).toHaveLength(5); // header, row 0, row 1 in two parts (its quoted CRLF), '' after the last CRLF
    expect(parseCsv(text)).toEqual([head, ['0', 'a,b', ''], ['1', 'c', 'objective "sharpe" is null,\r\nno trades']]);
  });
});
