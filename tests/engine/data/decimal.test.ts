import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimalAt, strictNumber } from '../../../src/engine/data/decimal.js';

const parse = (s: string): number => parseDecimalAt(`,${s},`, 1, s.length + 1);
const digitString = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

/**
 * The exact decimal expansion of the midpoint between a positive double x and the next
 * double up, cut to `sig` significant digits and nudged by `bump` units in the last place:
 * the hardest inputs for a correctly rounding parser.
 */
function nearMidpoint(x: number, sig: number, bump: bigint): string {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const mant = (bits & ((1n << 52n) - 1n)) | (expBits === 0 ? 0n : 1n << 52n);
  const e = (expBits === 0 ? 1 : expBits) - 1075; // x = mant · 2^e
  // midpoint = (2·mant + 1) · 2^(e−1)
  let num = 2n * mant + 1n;
  let scale = 0; // value = num · 10^(−scale)
  if (e - 1 >= 0) num <<= BigInt(e - 1);
  else {
    num *= 5n ** BigInt(1 - e);
    scale = 1 - e;
  }
  const digits = num.toString();
  const cut = digits.length - sig;
  let head = cut > 0 ? BigInt(digits.slice(0, sig)) : num;
  head += bump;
  const headScale = scale - Math.max(cut, 0);
  const text = head.toString();
  if (headScale <= 0) return text + '0'.repeat(-headScale);
  const padded = text.padStart(headScale + 1, '0');
  return `${padded.slice(0, padded.length - headScale)}.${padded.slice(padded.length - headScale)}`;
}

describe('parseDecimalAt (oracle: Number)', () => {
  it('is bit-identical to Number for random decimal strings of up to 44 digits', () => {
    fc.assert(
      fc.property(fc.constantFrom('', '-', '+'), digitString(1, 20), fc.option(digitString(0, 24)), (sign, int, frac) => {
        const s = frac === null ? `${sign}${int}` : `${sign}${int}.${frac}`;
        expect(Object.is(parse(s), Number(s)), s).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('is bit-identical to Number on 16–19 significant digits (the verified path)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 19 }), fc.integer({ min: 0, max: 22 }), digitString(19, 19), (sig, frac, ds) => {
        const digits = `${1 + (ds.charCodeAt(0) % 9)}${ds.slice(1, sig)}`;
        const s = frac === 0 ? digits : frac >= digits.length ? `0.${digits.padStart(frac, '0')}` : `${digits.slice(0, digits.length - frac)}.${digits.slice(digits.length - frac)}`;
        expect(Object.is(parse(s), Number(s)), s).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('is bit-identical to Number next to rounding ties', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e18, noNaN: true }), fc.integer({ min: 16, max: 19 }), fc.bigInt({ min: -2n, max: 2n }), (x, sig, bump) => {
        const s = nearMidpoint(x, sig, bump);
        expect(Object.is(parse(s), Number(s)), s).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('matches Number on doubles printed by JS and on the fixtures’ forms', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = String(x);
        expect(Object.is(parse(s), Number(s)), s).toBe(true);
      }),
      { numRuns: 20000 },
    );
    for (const s of ['100', '104.06', '5.33e-05', '0.00162008', '22351900', '1.0', '.5', '5.', '-0', ' 7.25 ', '1E3', '96515.0', '1.0723400000000001', '9007199254740993', '0.30000000000000004', '1234567890123456789']) {
      expect(Object.is(parse(s), Number(s)), s).toBe(true);
    }
  });

  it('returns NaN for blanks, text, and hex/binary/octal literals', () => {
    for (const s of ['', '   ', 'abc', '1.2.3', '1,5', '0x10', '0b1', '0o7', '--1', '.', '-', '1 2', 'NaN']) expect(Number.isNaN(parse(s)), s).toBe(true);
    expect(parse('Infinity')).toBe(Infinity);
    expect(Number.isNaN(strictNumber(''))).toBe(true);
  });
});
