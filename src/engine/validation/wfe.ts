/**
 * Walk-forward efficiency and the stitched out-of-sample equity curve (STATISTICS.md,
 * "Walk-forward").
 *
 * WFE = Σ annualised OOS return / Σ annualised IS return over the windows whose IS return is
 * > 0 — a ratio of sums, not a mean of per-window ratios (one window with a tiny IS return
 * would otherwise dominate). Windows with IS ≤ 0 are "n/a": excluded from both sums and
 * counted. Returns are fractions (0.12 = 12 % a year).
 */
export interface WfeWindow {
  /** Annualised in-sample return of the window's best parameters (fraction). */
  readonly isReturnAnn: number;
  /** Annualised out-of-sample return of the same parameters (fraction). */
  readonly oosReturnAnn: number;
}

export interface WfeResult {
  /** Ratio of sums over the usable windows; null when no window has IS > 0. */
  readonly wfe: number | null;
  readonly n_windows: number;
  readonly n_used: number;
  /** Windows with IS ≤ 0 (or non-finite inputs), excluded from the ratio. */
  readonly n_na: number;
  readonly per_window: { readonly index: number; readonly is_return_ann: number; readonly oos_return_ann: number; readonly wfe: number | 'n/a' }[];
  readonly warnings: string[];
}

export function walkForwardEfficiency(windows: readonly WfeWindow[]): WfeResult {
  let sumIs = 0;
  let sumOos = 0;
  let used = 0;
  const perWindow = windows.map((w, index) => {
    const ok = Number.isFinite(w.isReturnAnn) && Number.isFinite(w.oosReturnAnn) && w.isReturnAnn > 0;
    if (ok) {
      sumIs += w.isReturnAnn;
      sumOos += w.oosReturnAnn;
      used++;
    }
    return {
      index,
      is_return_ann: w.isReturnAnn,
      oos_return_ann: w.oosReturnAnn,
      wfe: ok ? w.oosReturnAnn / w.isReturnAnn : ('n/a' as const),
    };
  });
  const warnings: string[] = [];
  const na = windows.length - used;
  if (na > 0) warnings.push(`${na} of ${windows.length} window(s) have an in-sample return <= 0 (or non-finite) and are n/a`);
  if (used === 0) warnings.push('WFE undefined: no window with a positive in-sample return');
  return { wfe: used > 0 ? sumOos / sumIs : null, n_windows: windows.length, n_used: used, n_na: na, per_window: perWindow, warnings };
}

/**
 * Annualised (compounded) return (1 + R)^(1/years) − 1 of a total return R over `years`
 * (fraction). A total loss (R ≤ −1) is −1. Null for a non-positive span.
 */
export function annualizedReturn(totalReturn: number, years: number): number | null {
  if (!(years > 0) || !Number.isFinite(years) || !Number.isFinite(totalReturn)) return null;
  if (totalReturn <= -1) return -1;
  return Math.expm1(Math.log1p(totalReturn) / years);
}

/**
 * Simple per-step returns eq[i]/eq[i−1] − 1 of an equity segment (length n − 1). After ruin
 * (equity ≤ 0) a step returns 0: the account stays where it ended, and a window that went
 * bankrupt stitches as a total loss instead of as 0/0.
 */
export function equityReturns(equity: ArrayLike<number>): Float64Array {
  const n = equity.length;
  const out = new Float64Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) out[i - 1] = equity[i - 1] > 0 ? equity[i] / equity[i - 1] - 1 : 0;
  return out;
}

/**
 * Stitches out-of-sample segments (each an array of per-bar simple returns, in time order)
 * into one compounded equity curve starting at `start`: length 1 + Σ segment lengths,
 * equity[0] = start. Each segment continues from where the previous one ended, so the curve
 * reads as if the frozen parameters had been traded window after window.
 */
export function stitchEquity(segments: readonly ArrayLike<number>[], start = 1): Float64Array {
  if (!(start > 0) || !Number.isFinite(start)) throw new RangeError(`start must be a positive number, got ${start}`);
  const total = segments.reduce((s, seg) => s + seg.length, 0);
  const out = new Float64Array(total + 1);
  out[0] = start;
  let k = 0;
  for (const seg of segments) {
    for (let i = 0; i < seg.length; i++) {
      const r = seg[i];
      if (!Number.isFinite(r)) throw new RangeError(`stitchEquity: return ${r} at segment offset ${i} is not finite`);
      out[k + 1] = Math.max(0, out[k] * (1 + r));
      k++;
    }
  }
  return out;
}
