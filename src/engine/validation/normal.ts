/**
 * Standard normal distribution: Φ (CDF), Φ⁻¹ (quantile) and φ (density), accurate to about
 * 1e-15 relative over the range that matters for PSR/DSR (and far into the tails).
 *
 * - erfc: W. J. Cody, "Rational Chebyshev approximations for the error function",
 *   Math. Comp. 23 (1969) 631–638, with the coefficients of his netlib SPECFUN routine
 *   CALERF (three intervals: |x| ≤ 0.46875, ≤ 4, > 4). exp(−x²) is evaluated as
 *   exp(−x_r²)·exp(−(x − x_r)(x + x_r)) with x_r = x rounded down to 1/16, as Cody does,
 *   so the tail keeps its relative accuracy.
 * - Φ⁻¹: P. J. Acklam's rational approximation (relative error 1.15e-9), polished by one
 *   Halley step on Φ, which brings it to machine precision. Solved in the lower tail and
 *   mirrored (1 − p is exact for p ≥ 0.5), so p close to 1 keeps its accuracy.
 *
 * simple-statistics' table-based CDF (4 decimals) is not precise enough for these uses.
 */

const SQRT2 = Math.SQRT2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const INV_SQRT_PI = 0.56418958354775628695;

// CALERF coefficients (Cody 1969 / netlib specfun).
const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
const P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766,
  6.58749161529837803e-4, 0.0163153871373020978,
];
const Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];

/** exp(−y²) without losing relative accuracy for large y (Cody's split). */
function expNegSquare(y: number): number {
  const yr = Math.trunc(y * 16) / 16;
  const del = (y - yr) * (y + yr);
  return Math.exp(-yr * yr) * Math.exp(-del);
}

/** erfc(y) for y ≥ 0.46875 (the two outer intervals of CALERF). */
function erfcUpper(y: number): number {
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return (expNegSquare(y) * (num + C[7])) / (den + D[7]);
  }
  if (y >= 27.3) return 0; // erfc(27.3) < 5e-324, the smallest subnormal
  const z = 1 / (y * y);
  let num = P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * z;
    den = (den + Q[i]) * z;
  }
  const r = (z * (num + P[4])) / (den + Q[4]);
  return (expNegSquare(y) * (INV_SQRT_PI - r)) / y;
}

/** erf(x) for |x| ≤ 0.46875. */
function erfSmall(x: number): number {
  const y = Math.abs(x);
  const ysq = y > 1.11e-16 ? y * y : 0;
  let num = A[4] * ysq;
  let den = ysq;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]) * ysq;
    den = (den + B[i]) * ysq;
  }
  return (x * (num + A[3])) / (den + B[3]);
}

/** Complementary error function erfc(x) = 1 − erf(x). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) return 1 - erfSmall(x);
  const r = erfcUpper(y);
  return x < 0 ? 2 - r : r;
}

/** Error function erf(x). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) return erfSmall(x);
  const r = 1 - erfcUpper(y);
  return x < 0 ? -r : r;
}

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/** Standard normal CDF Φ(x) = erfc(−x/√2)/2; relative accuracy is kept in the lower tail. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  return 0.5 * erfc(-x / SQRT2);
}

// Acklam's coefficients (central region |p − 0.5| ≤ 0.47575, and the tails).
const AA = [-39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239];
const AB = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const AC = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const AD = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Acklam's approximation for q ≤ 0.5 (returns x ≤ 0). */
function acklamLower(q: number): number {
  if (q < P_LOW) {
    const s = Math.sqrt(-2 * Math.log(q));
    return (
      (((((AC[0] * s + AC[1]) * s + AC[2]) * s + AC[3]) * s + AC[4]) * s + AC[5]) /
      ((((AD[0] * s + AD[1]) * s + AD[2]) * s + AD[3]) * s + 1)
    );
  }
  const u = q - 0.5;
  const r = u * u;
  return (
    ((((((AA[0] * r + AA[1]) * r + AA[2]) * r + AA[3]) * r + AA[4]) * r + AA[5]) * u) /
    (((((AB[0] * r + AB[1]) * r + AB[2]) * r + AB[3]) * r + AB[4]) * r + 1)
  );
}

/**
 * Standard normal quantile Φ⁻¹(p). p = 0 → −Infinity, p = 1 → +Infinity (the exact limits);
 * p outside [0, 1] or NaN is a RangeError.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const upper = p > 0.5;
  const q = upper ? 1 - p : p; // exact for p in [0.5, 1] (Sterbenz)
  let x = acklamLower(q);
  // One Halley step on f(x) = Φ(x) − q: x ← x − u/(1 + x·u/2), u = f(x)/φ(x).
  const dens = normalPdf(x);
  if (dens > 0) {
    const u = (normalCdf(x) - q) / dens;
    const next = x - u / (1 + (x * u) / 2);
    if (Number.isFinite(next)) x = next;
  }
  return upper ? -x : x;
}
