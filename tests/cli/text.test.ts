/** The CLI's plain-text building blocks: integers as integers, ISO-8601 UTC times, aligned and wrapped columns. */
import { describe, expect, it } from 'vitest';
import { columns, int, isoTime, pairs, whole, wrap } from '../../src/cli/text.js';

describe('numbers and times', () => {
  it('prints counts as integers, other numbers with their decimals', () => {
    expect([int(42), int(0), int(2.5), int(null)]).toEqual(['42', '0', '2.50', 'n/a']);
    expect([whole(398), whole(124.375)]).toEqual(['398', '124.4']);
  });

  it('prints times as ISO-8601 UTC, as short as exact', () => {
    expect(isoTime(Date.UTC(2024, 0, 5, 13))).toBe('2024-01-05T13:00Z');
    expect(isoTime(Date.UTC(2024, 0, 5, 13, 0, 30))).toBe('2024-01-05T13:00:30Z');
    expect(isoTime(Date.UTC(2024, 0, 5, 13, 0, 30, 250))).toBe('2024-01-05T13:00:30.250Z');
    expect(isoTime(Date.UTC(2024, 0, 5, 13, 0, 30, 250), true)).toBe('2024-01-05T13:00:30Z');
    expect(isoTime('2024-01-05T13:00:00.000Z')).toBe('2024-01-05T13:00Z');
    expect(isoTime(null)).toBe('n/a');
  });
});

describe('columns', () => {
  it('right-aligns numeric columns, left-aligns text, two spaces apart', () => {
    expect(columns(['side', 'trades', 'return'], [['long', '66', '-9.86 %'], ['short', '0', 'n/a']], '')).toEqual([
      'side   trades   return',
      'long       66  -9.86 %',
      'short       0      n/a',
    ]);
  });

  it('wraps a long last text column under itself', () => {
    const lines = columns(['level', 'reason'], [['reject', 'word '.repeat(30).trim()]], '  ', 60);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    expect(lines[2].startsWith(' '.repeat(10) + 'word')).toBe(true);
  });

  it('lays out label/value pairs side by side and wraps words', () => {
    expect(pairs([['a', '1'], ['long label', '2'], ['b', '3'], null])).toEqual(['  a  1    long label  2', '  b  3']);
    expect(wrap('one two three four', '> ', '  ', 10)).toEqual(['> one two', '  three', '  four']);
  });
});
