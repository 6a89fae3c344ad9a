/**
 * `confidence`: the composite strategy of the seed projects (model in confidence-model.ts,
 * regimes in regime.ts, params in confidence-params.ts). At each bar t after the warm-up:
 * - exits: a long is closed when long confidence < exit_conf_threshold, a short when short
 *   confidence < exit_conf_threshold (regardless of the regime);
 * - regime gate: the current regime is the most likely one; new entries are allowed only when
 *   its probability >= thresholds.regime_proba[that regime];
 * - entries: a side qualifies when allowed by `direction` and its confidence >=
 *   thresholds.entry_conf_overall; if both do (only possible with a threshold <= 0.5) the more
 *   confident wins and a tie enters nothing; size[t] = riskFraction(risk_map, confidence) and
 *   a size of 0 means no entry.
 * - confidence[t] = long confidence (long_only), short confidence (short_only) or the larger
 *   of the two (long_short); NaN during the warm-up. size[t] is 0 on bars without an entry.
 * `max_hold_bars` is not applied here: the caller maps it onto ExecutionSpec.max_hold_bars.
 */
import { EXIT_LONG, EXIT_SHORT, type Candles, type Signals } from '../backtest/types.js';
import { allocSignals, allowsLong, allowsShort, finishSignals, firstDecisionBar } from './common.js';
import { confidenceSeries } from './confidence-model.js';
import { CONFIDENCE_SPACE, confidenceParams, type ConfidenceParams } from './confidence-params.js';
import { mostLikelyRegime } from './regime.js';
import { riskFraction } from './risk-map.js';
import type { StrategyContext, StrategyDef } from './types.js';

export const confidence: StrategyDef<ConfidenceParams> = {
  name: 'confidence',
  description:
    'Composite: MACD/ATR trend, RSI momentum and z-score mean-reversion scores weighted by an ADX/bandwidth ' +
    'regime classifier give a long and a short confidence in [0, 1]; enter above thresholds.entry_conf_overall ' +
    'when the regime is clear enough, size with risk_map, exit below exit_conf_threshold.',
  params: confidenceParams,
  defaultSpace: CONFIDENCE_SPACE,
  warmup: (p) =>
    Math.max(
      p.macd_slow + p.macd_signal - 2, // MACD histogram
      p.atr_period - 1, // ATR (TR valid from bar 0)
      p.rsi_period, // RSI
      p.zscore_period - 1, // z-score of Close
      2 * p.adx_period - 1, // ADX (Wilder: DX from bar `period`, then smoothed)
      p.bb_period + p.regime_lookback - 2, // z-score of the Bollinger bandwidth
    ),
  signals(candles: Candles, p: ConfidenceParams, ctx: StrategyContext): Signals {
    const s = confidenceSeries(candles, p, ctx);
    const n = candles.close.length;
    const buf = allocSignals(n, ctx);
    const size = new Float64Array(n);
    const conf = new Float64Array(n).fill(NaN);
    const canLong = allowsLong(p.direction);
    const canShort = allowsShort(p.direction);
    const entryThr = p.thresholds.entry_conf_overall;
    const exitThr = p.exit_conf_threshold;
    const minProba = p.thresholds.regime_proba;
    for (let t = s.warmup; t < n; t++) {
      conf[t] = !canShort ? s.long[t] : !canLong ? s.short[t] : Math.max(s.long[t], s.short[t]);
    }
    for (let t = firstDecisionBar(s.warmup); t < n; t++) {
      const L = s.long[t];
      const S = s.short[t];
      if (L < exitThr) buf.exit[t] |= EXIT_LONG;
      if (S < exitThr) buf.exit[t] |= EXIT_SHORT;
      const regime = mostLikelyRegime(s.regime, t);
      if (regime === undefined || s.regime[regime][t] < minProba[regime]) continue;
      const longOk = canLong && L >= entryThr;
      const shortOk = canShort && S >= entryThr;
      let side = 0;
      if (longOk && (!shortOk || L > S)) side = 1;
      else if (shortOk && (!longOk || S > L)) side = -1;
      if (side === 0) continue;
      const f = riskFraction(p.risk_map, side === 1 ? L : S);
      if (f > 0) {
        buf.entry[t] = side;
        size[t] = f;
      }
    }
    return finishSignals(buf, s.warmup, { size, confidence: conf });
  },
};
