import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packF64, packJson, unpackF64, unpackJson } from '../../src/storage/codec.js';

/** Bit patterns of a Float64Array (NaN payloads and -0 included). */
function bits(a: Float64Array): bigint[] {
  return [...new BigUint64Array(a.buffer, a.byteOffset, a.length)];
}

describe('packF64 / unpackF64', () => {
  it('round-trips any doubles bit for bit (NaN, ±0, ±Infinity, subnormals, arbitrary bit patterns)', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 300 }), (xs) => {
        const a = Float64Array.from(xs);
        expect(bits(unpackF64(packF64(a)))).toEqual(bits(a));
      }),
    );
    const odd = new Float64Array([Number.NaN, -0, 0, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, 2 ** 53, -(2 ** 53), 1.5]);
    new BigUint64Array(odd.buffer)[0] = 0x7ff8_0000_dead_beefn; // a NaN with a payload
    expect(bits(unpackF64(packF64(odd)))).toEqual(bits(odd));
  });

  it('round-trips integer series, including differences that are not exact in doubles', () => {
    fc.assert(
      fc.property(fc.array(fc.maxSafeInteger(), { maxLength: 200 }), (xs) => {
        const a = Float64Array.from(xs);
        expect(bits(unpackF64(packF64(a)))).toEqual(bits(a));
      }),
    );
    const wide = new Float64Array([Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0, -0]);
    expect(bits(unpackF64(packF64(wide)))).toEqual(bits(wide));
  });

  it('round-trips an empty array and a view into a larger buffer', () => {
    expect(unpackF64(packF64(new Float64Array(0)))).toEqual(new Float64Array(0));
    const big = Float64Array.from({ length: 20 }, (_, i) => i * 1.25);
    const view = big.subarray(5, 12);
    expect(bits(unpackF64(packF64(view)))).toEqual(bits(view));
  });

  it('stores regular bar times in a few bytes and an equity curve in well under its raw size', () => {
    const n = 10_000;
    const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2023, 0, 1) + i * 3_600_000 + (i > 5_000 ? 7_200_000 : 0));
    expect(packF64(time).length).toBeLessThan((n * 8) / 100);
    let v = 10_000;
    let seed = 7;
    const equity = Float64Array.from({ length: n }, (_, i) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      if (Math.floor(i / 50) % 2 === 0) v *= 1 + (seed / 2 ** 31 - 0.5) * 0.01; // in the market half the time, flat otherwise
      return v;
    });
    expect(packF64(equity).length).toBeLessThan((n * 8) / 1.5);
  });

  it('refuses a blob with an unknown encoding tag instead of guessing', () => {
    const blob = packF64(new Float64Array([1, 2, 3]));
    blob[0] = 0x7f;
    expect(() => unpackF64(blob)).toThrow(/unknown encoding tag 127/);
    expect(() => unpackF64(Buffer.alloc(0))).toThrow(/unknown encoding tag/);
    expect(() => unpackJson(packF64(new Float64Array([1])))).toThrow(/unknown encoding tag/);
  });
});

describe('packJson / unpackJson', () => {
  it('round-trips JSON values and compresses repetitive records several times', () => {
    const trades = Array.from({ length: 200 }, (_, i) => ({ direction: i % 2 ? 'long' : 'short', entry_bar: i * 10, exit_bar: i * 10 + 4, pnl: Math.sin(i) * 100, exit_reason: 'signal' }));
    const v = { trades, open_trades: [], skipped: [{ bar: 3, reason: 'no cash' }] };
    expect(unpackJson(packJson(v))).toEqual(v);
    expect(packJson(v).length * 3).toBeLessThan(JSON.stringify(v).length);
    expect(unpackJson(packJson('ünïcødé ✓'))).toBe('ünïcødé ✓');
  });
});
