/**
 * The standard normal distribution, one module for the whole engine (the optimizer's
 * truncated-normal kernels, the validation's PSR/DSR): to full double precision, far tails
 * included, in log space where it matters.
 * - erf, erfc: fdlibm s_erf.c (Sun Microsystems 1993), rational approximations with errors
 *   < 2^-57;
 * - Φ (ndtr = normalCdf), log Φ, log of the mass of an interval, log φ, φ;
 * - Φ⁻¹ (ndtri = normalQuantile): Wichura's AS 241 (1988), relative error about 1e-16, and
 *   Φ⁻¹ of a log-probability (ndtriExp), refined by Newton steps in the far tail.
 * simple-statistics' table-based CDF (4 decimals) is not precise enough for these uses.
 */

// erf on [0, 0.84375]
const efx = 1.28379167095512586316e-1;
const pp0 = 1.28379167095512558561e-1, pp1 = -3.25042107247001499370e-1, pp2 = -2.84817495755985104766e-2;
const pp3 = -5.77027029648944159157e-3, pp4 = -2.37630166566501626084e-5;
const qq1 = 3.97917223959155352819e-1, qq2 = 6.50222499887672944485e-2, qq3 = 5.08130628187576562776e-3;
const qq4 = 1.32494738004321644526e-4, qq5 = -3.96022827877536812320e-6;
// erf on [0.84375, 1.25]
const erx = 8.45062911510467529297e-1;
const pa0 = -2.36211856075265944077e-3, pa1 = 4.14856118683748331666e-1, pa2 = -3.72207876035701323847e-1;
const pa3 = 3.18346619901161753674e-1, pa4 = -1.10894694282396677476e-1, pa5 = 3.54783043256182359371e-2;
const pa6 = -2.16637559486879084300e-3;
const qa1 = 1.06420880400844228286e-1, qa2 = 5.40397917702171048937e-1, qa3 = 7.18286544141962662868e-2;
const qa4 = 1.26171219808761642112e-1, qa5 = 1.36370839120290507362e-2, qa6 = 1.19844998467991074170e-2;
// erfc on [1.25, 1/0.35]
const ra0 = -9.86494403484714822705e-3, ra1 = -6.93858572707181764372e-1, ra2 = -1.05586262253232909814e1;
const ra3 = -6.23753324503260060396e1, ra4 = -1.62396669462573470355e2, ra5 = -1.84605092906711035994e2;
const ra6 = -8.12874355063065934246e1, ra7 = -9.81432934416914548592;
const sa1 = 1.96512716674392571292e1, sa2 = 1.37657754143519042600e2, sa3 = 4.34565877475229228821e2;
const sa4 = 6.45387271733267880336e2, sa5 = 4.29008140027567833386e2, sa6 = 1.08635005541779435134e2;
const sa7 = 6.57024977031928170135, sa8 = -6.04244152148580987438e-2;
// erfc on [1/0.35, 28]
const rb0 = -9.86494292470009928597e-3, rb1 = -7.99283237680523006574e-1, rb2 = -1.77579549177547519889e1;
const rb3 = -1.60636384855821916062e2, rb4 = -6.37566443368389627722e2, rb5 = -1.02509513161107724954e3;
const rb6 = -4.83519191608651397019e2;
const sb1 = 3.03380607434824582924e1, sb2 = 3.25792512996573918826e2, sb3 = 1.53672958608443695994e3;
const sb4 = 3.19985821950859553908e3, sb5 = 2.55305040643316442583e3, sb6 = 4.74528541206955367215e2;
const sb7 = -2.24409524465858183362e1;

/** log(erfc(x)) − (−x² − 0.5625 − log x) for x ≥ 1.25: the rational part of fdlibm's tail formula. */
function tailRS(x: number): number {
  const s = 1 / (x * x);
  if (x < 1 / 0.35) {
    const R = ra0 + s * (ra1 + s * (ra2 + s * (ra3 + s * (ra4 + s * (ra5 + s * (ra6 + s * ra7))))));
    const S = 1 + s * (sa1 + s * (sa2 + s * (sa3 + s * (sa4 + s * (sa5 + s * (sa6 + s * (sa7 + s * sa8)))))));
    return R / S;
  }
  const R = rb0 + s * (rb1 + s * (rb2 + s * (rb3 + s * (rb4 + s * (rb5 + s * rb6)))));
  const S = 1 + s * (sb1 + s * (sb2 + s * (sb3 + s * (sb4 + s * (sb5 + s * (sb6 + s * sb7))))));
  return R / S;
}

/** erfc(x) for x ≥ 0. */
function erfcPos(x: number): number {
  if (x < 0.84375) {
    const z = x * x;
    const r = pp0 + z * (pp1 + z * (pp2 + z * (pp3 + z * pp4)));
    const s = 1 + z * (qq1 + z * (qq2 + z * (qq3 + z * (qq4 + z * qq5))));
    const y = r / s;
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x - 0.5 + x * y);
  }
  if (x < 1.25) {
    const s = x - 1;
    const P = pa0 + s * (pa1 + s * (pa2 + s * (pa3 + s * (pa4 + s * (pa5 + s * pa6)))));
    const Q = 1 + s * (qa1 + s * (qa2 + s * (qa3 + s * (qa4 + s * (qa5 + s * qa6)))));
    return 1 - erx - P / Q;
  }
  if (x >= 28) return 0;
  // exp(-x²) split as exp(-z²) · exp((z−x)(z+x)) with z = x rounded to single precision,
  // so that z² is exact (fdlibm Note1).
  const z = Math.fround(x);
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - x) * (z + x) + tailRS(x))) / x;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x >= 0 ? erfcPos(x) : 2 - erfcPos(-x);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return x + efx * x;
    const z = x * x;
    const r = pp0 + z * (pp1 + z * (pp2 + z * (pp3 + z * pp4)));
    const s = 1 + z * (qq1 + z * (qq2 + z * (qq3 + z * (qq4 + z * qq5))));
    return x + x * (r / s);
  }
  const v = 1 - erfcPos(ax);
  return x < 0 ? -v : v;
}

const SQRT1_2 = Math.SQRT1_2;
const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const LN_HALF = Math.log(0.5);

/** Φ(a), the standard normal CDF. */
export function ndtr(a: number): number {
  return 0.5 * erfc(-a * SQRT1_2);
}

/** log Φ(a), accurate in the far left tail (a down to −1e150) and near 1. */
export function logNdtr(a: number): number {
  if (a > 6) return -ndtr(-a); // log(1 − ε) ≈ −ε
  if (a > -5) return Math.log(ndtr(a));
  const x = -a * SQRT1_2; // erfc(x) with x > 3.5: log erfc = −x² − 0.5625 − log x + R/S
  return LN_HALF - x * x - 0.5625 - Math.log(x) + tailRS(x);
}

/** log φ(x). */
export function logNormPdf(x: number): number {
  return -0.5 * x * x - LN_SQRT_2PI;
}

/** log of the standard normal mass in [a, b] (a <= b), stable in both tails. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  // Central (a <= 0 < b): a wide interval as log1p(−tails) (exact near 1); a narrow one as
  // ½(erf(−a/√2) + erf(b/√2)), a sum of positive terms without cancellation.
  const tails = ndtr(a) + ndtr(-b);
  if (tails < 0.5) return Math.log1p(-tails);
  return Math.log(0.5 * (erf(-a * SQRT1_2) + erf(b * SQRT1_2)));
}

function logDiff(lp: number, lq: number): number {
  if (lq === -Infinity) return lp;
  return lp + Math.log1p(-Math.exp(lq - lp));
}

// AS 241 (PPND16) coefficients.
const A = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727];
const B = [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561];
const C = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4];
const D = [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9];
const E = [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7];
const F = [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15];

function poly(c: readonly number[], x: number): number {
  let v = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) v = v * x + c[i];
  return v;
}

/** Lower-tail quantile from r = sqrt(−log p), p < 0.075. */
function tailQuantile(r: number): number {
  if (r <= 5) {
    const t = r - 1.6;
    return -(poly(C, t) / poly(D, t));
  }
  const t = r - 5;
  return -(poly(E, t) / poly(F, t));
}

/** Φ⁻¹(p). */
export function ndtri(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(A, r)) / poly(B, r);
  }
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const x = tailQuantile(r);
  return q < 0 ? x : -x;
}

/** Φ⁻¹(exp(logP)): the quantile of a log-probability, accurate where p underflows. */
export function ndtriExp(logP: number): number {
  if (logP >= 0) return logP === 0 ? Infinity : NaN;
  if (logP > -0.69) return -ndtri(-Math.expm1(logP)); // p > ~0.5: use 1 − p without cancellation
  if (logP > -700) return ndtri(Math.exp(logP));
  let x = tailQuantile(Math.sqrt(-logP));
  // AS 241's tail fit ends near p = 1e-300; refine with Newton on log Φ (derivative φ/Φ).
  for (let i = 0; i < 4; i++) {
    const ln = logNdtr(x);
    const step = (ln - logP) / Math.exp(logNormPdf(x) - ln);
    x -= step;
    if (Math.abs(step) < 1e-14 * Math.abs(x)) break;
  }
  return x;
}

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(logNormPdf(x));
}

/** Standard normal CDF Φ(x) (relative accuracy kept in the lower tail); Φ(±∞) = 1 / 0, NaN → NaN. */
export function normalCdf(x: number): number {
  return ndtr(x);
}

/**
 * Standard normal quantile Φ⁻¹(p). p = 0 → −Infinity, p = 1 → +Infinity (the exact limits);
 * p outside [0, 1] or NaN is a RangeError.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  return ndtri(p);
}
