/**
 * The research score of the seed projects (EXECUTION.md §3), returns and rates as fractions:
 *
 *   score = sharpe + total_return + 0.25 · (total_return / |max_dd|) + clip(win_rate − 0.4, −0.2, 0.2)
 *
 * Degenerate-input guard. The ratio total_return / |max_dd| explodes when the drawdown is
 * (almost) zero — a seed project crowned a champion with score 260.73 only because its
 * max drawdown was 0.0 — and Sharpe explodes on a near-constant curve. So when the run has
 * fewer than `min_trades` closed trades, or |max_dd| < SCORE_MIN_DRAWDOWN:
 *   - the return/drawdown ratio is clipped to ±SCORE_RATIO_CAP (= ±2, i.e. at most ±0.5
 *     after the 0.25 weight; a zero drawdown with a positive return counts as +2), and
 *   - the Sharpe term is clipped to ±SCORE_SHARPE_CAP (= ±3),
 * and the result carries a warning. An undefined Sharpe or win rate contributes 0 (warned).
 */
export const SCORE_RATIO_CAP = 2;
export const SCORE_SHARPE_CAP = 3;
/** A max drawdown below 0.1 % counts as "zero" for the guard. */
export const SCORE_MIN_DRAWDOWN = 1e-3;

export interface ScoreInput {
  readonly sharpe: number | null;
  /** Total return as a fraction. */
  readonly totalReturn: number;
  /** Max drawdown as a positive fraction. */
  readonly maxDrawdown: number;
  /** Win rate as a fraction, null with no trades. */
  readonly winRate: number | null;
  readonly trades: number;
  readonly minTrades: number;
}

export function clip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

export function researchScore(s: ScoreInput): { score: number; warnings: string[] } {
  const warnings: string[] = [];
  const tooFewTrades = s.trades < s.minTrades;
  const noDrawdown = !(s.maxDrawdown >= SCORE_MIN_DRAWDOWN);
  const degenerate = tooFewTrades || noDrawdown;
  let ratio: number;
  if (s.maxDrawdown > 0) ratio = s.totalReturn / s.maxDrawdown;
  else ratio = s.totalReturn > 0 ? Infinity : s.totalReturn < 0 ? -Infinity : 0;
  let sharpe = s.sharpe ?? 0;
  if (s.sharpe === null) warnings.push('score: sharpe is undefined and contributes 0');
  if (degenerate) {
    ratio = clip(ratio, -SCORE_RATIO_CAP, SCORE_RATIO_CAP);
    sharpe = clip(sharpe, -SCORE_SHARPE_CAP, SCORE_SHARPE_CAP);
    const why = [
      tooFewTrades ? `only ${s.trades} closed trades (< min_trades ${s.minTrades})` : '',
      noDrawdown ? `max drawdown ${s.maxDrawdown * 100} % (< ${SCORE_MIN_DRAWDOWN * 100} %)` : '',
    ].filter(Boolean).join(' and ');
    warnings.push(`score: degenerate input (${why}); return/drawdown term capped at ±${SCORE_RATIO_CAP}, sharpe term at ±${SCORE_SHARPE_CAP}`);
  }
  let winTerm = 0;
  if (s.winRate === null) warnings.push('score: win rate is undefined (no trades) and contributes 0');
  else winTerm = clip(s.winRate - 0.4, -0.2, 0.2);
  return { score: sharpe + s.totalReturn + 0.25 * ratio + winTerm, warnings };
}
