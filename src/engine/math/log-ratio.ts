/**
 * ln(b / a) for positive a, b, fast when the ratio is near 1 — the case of consecutive
 * equity values, whose log returns β needs for every bar (metrics/market.ts).
 *
 * ln(r) = 2·atanh(z) with r = b/a, z = (r − 1)/(r + 1) (r − 1 is exact near 1), and atanh(z) = z + z³/3 + z⁵/5 + z⁷/7 + …
 * For |z| ≤ 2⁻⁷ (|b/a − 1| below about 1.6 %) the first four terms leave a relative
 * truncation error under z⁸/9 ≤ 2⁻⁵⁶/9 ≈ 1.6e-18, far below one ulp (seven terms up to 2⁻⁴); the few roundings of
 * the evaluation keep the result within a few ulp of Math.log(b / a) (tested) — the same
 * rounded ratio as backtesting.py's `np.log(eq[1:] / eq[:-1])`. Larger ratios, zeros and NaN
 * go to Math.log. A division and a short polynomial replace a full logarithm.
 */
const Z_NEAR = 1 / 128;
/** |z| ≤ 2⁻⁴ (|b/a − 1| below about 13 %, e.g. daily returns): seven terms, truncation ≤ z¹⁴/15 ≈ 9e-19. */
const Z_MAX = 1 / 16;

export function logRatio(a: number, b: number): number {
  const r = b / a;
  const z = (r - 1) / (r + 1);
  const z2 = z * z;
  if (z2 <= Z_NEAR * Z_NEAR) return 2 * z * (1 + z2 * (1 / 3 + z2 * (1 / 5 + z2 * (1 / 7))));
  if (z2 <= Z_MAX * Z_MAX) return 2 * z * (1 + z2 * (1 / 3 + z2 * (1 / 5 + z2 * (1 / 7 + z2 * (1 / 9 + z2 * (1 / 11 + z2 * (1 / 13)))))));
  return Math.log(r); // far from 1, zero, infinite or NaN
}
