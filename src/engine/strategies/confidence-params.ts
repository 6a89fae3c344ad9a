/**
 * Params of the `confidence` strategy, in the shape the seed projects tune:
 * `thresholds.entry_conf_overall`, `thresholds.regime_proba.{trend,range,balanced}`,
 * `exit_conf_threshold`, `max_hold_bars`, `risk_map`, `direction`, plus indicator periods.
 */
import { z } from 'zod';
import type { SearchSpace } from '../optimizer/space.types.js';
import { directionParam, intParam, issue, nullableIntParam, numParam, show, strictParams } from './params.js';

const prob = (field: string, def: number, description: string) =>
  numParam(field, { default: def, min: 0, max: 1, description });

const regimeProba = strictParams('thresholds.regime_proba', {
  trend: prob('thresholds.regime_proba.trend', 0.4, 'Minimum probability of the trend regime to trade while it is the most likely regime.'),
  range: prob('thresholds.regime_proba.range', 0.4, 'Minimum probability of the range regime to trade while it is the most likely regime.'),
  balanced: prob('thresholds.regime_proba.balanced', 0.4, 'Minimum probability of the balanced regime to trade while it is the most likely regime.'),
});

const thresholds = strictParams('thresholds', {
  entry_conf_overall: prob('thresholds.entry_conf_overall', 0.6, 'Enter when the side\'s overall confidence is >= this value.'),
  regime_proba: regimeProba
    .default(() => ({ trend: 0.4, range: 0.4, balanced: 0.4 }))
    .describe(
      'Per regime, the minimum probability the current most likely regime must have for new entries ' +
        '(exits are never blocked). The regime with the highest probability is the current one.',
    ),
});

const unit = (what: string) =>
  z
    .number({ error: (iss) => `risk_map ${what} must be a number in [0, 1], got ${show(iss.input)}` })
    .min(0, { error: (iss) => `risk_map ${what} must be >= 0, got ${show(iss.input)}` })
    .max(1, { error: (iss) => `risk_map ${what} must be <= 1, got ${show(iss.input)}` });

const riskPair = z.tuple([unit('confidence'), unit('position_fraction')], {
  error: (iss) => `each risk_map entry must be a [confidence, position_fraction] pair, got ${show(iss.input)}`,
});

export const DEFAULT_RISK_MAP: readonly (readonly [number, number])[] = Object.freeze([
  Object.freeze([0.6, 0.5] as const),
  Object.freeze([0.7, 0.75] as const),
  Object.freeze([0.8, 1] as const),
]);

export const confidenceParams = strictParams('confidence params', {
  thresholds: thresholds
    .default(() => ({ entry_conf_overall: 0.6, regime_proba: { trend: 0.4, range: 0.4, balanced: 0.4 } }))
    .describe('Entry thresholds: overall confidence and per-regime minimum probability.'),
  exit_conf_threshold: prob('exit_conf_threshold', 0.45, 'Exit a position when its side\'s confidence falls below this value; must be < thresholds.entry_conf_overall.'),
  max_hold_bars: nullableIntParam('max_hold_bars', { default: 48, min: 1, max: 1_000_000, description: 'Close a trade after this many bars (null = no limit); applied by the simulator (ExecutionSpec.max_hold_bars).' }),
  risk_map: z
    .array(riskPair, { error: (iss) => `risk_map must be a list of [confidence, position_fraction] pairs, got ${show(iss.input)}` })
    .min(1, { error: 'risk_map needs at least one [confidence, position_fraction] pair' })
    .max(32, { error: 'risk_map has more than 32 pairs' })
    .default(() => DEFAULT_RISK_MAP.map(([c, f]): [number, number] => [c, f]))
    .describe('Sizing: [confidence, position_fraction] pairs sorted by confidence; an entry uses the fraction of the highest pair whose confidence <= the bar\'s confidence (0 = no entry).'),
  direction: directionParam('long_only'),
  macd_fast: intParam('macd_fast', { default: 12, min: 1, max: 1000, description: 'Trend score: fast EMA period of the MACD; must be < macd_slow.' }),
  macd_slow: intParam('macd_slow', { default: 26, min: 2, max: 1000, description: 'Trend score: slow EMA period of the MACD.' }),
  macd_signal: intParam('macd_signal', { default: 9, min: 1, max: 1000, description: 'Trend score: signal EMA period of the MACD (histogram = MACD − signal).' }),
  atr_period: intParam('atr_period', { default: 14, min: 1, max: 1000, description: 'ATR period used to express the MACD histogram in volatility units.' }),
  rsi_period: intParam('rsi_period', { default: 14, min: 2, max: 1000, description: 'Momentum score: Wilder RSI period.' }),
  zscore_period: intParam('zscore_period', { default: 20, min: 2, max: 1000, description: 'Mean-reversion score: window of the z-score of Close.' }),
  adx_period: intParam('adx_period', { default: 14, min: 2, max: 1000, description: 'Regime classifier: Wilder ADX period (trend strength).' }),
  bb_period: intParam('bb_period', { default: 20, min: 2, max: 1000, description: 'Regime classifier: Bollinger window for the bandwidth (upper − lower)/middle.' }),
  bb_k: numParam('bb_k', { default: 2, min: 0.1, max: 10, description: 'Regime classifier: Bollinger band width in standard deviations.' }),
  regime_lookback: intParam('regime_lookback', { default: 100, min: 2, max: 10_000, description: 'Regime classifier: window of the z-score of the Bollinger bandwidth.' }),
}).superRefine((p, ctx) => {
  if (p.exit_conf_threshold >= p.thresholds.entry_conf_overall) {
    issue(ctx, ['exit_conf_threshold'], `exit_conf_threshold (${p.exit_conf_threshold}) must be < thresholds.entry_conf_overall (${p.thresholds.entry_conf_overall})`);
  }
  if (p.macd_fast >= p.macd_slow) issue(ctx, ['macd_fast'], `macd_fast (${p.macd_fast}) must be < macd_slow (${p.macd_slow})`);
  for (let i = 1; i < p.risk_map.length; i++) {
    const prev = p.risk_map[i - 1][0];
    const cur = p.risk_map[i][0];
    if (!(cur > prev)) {
      issue(ctx, ['risk_map', i, 0], `risk_map.${i}.0 (${cur}) must be > risk_map.${i - 1}.0 (${prev}): pairs must be sorted by confidence, strictly ascending`);
    }
  }
});

export type ConfidenceParams = z.output<typeof confidenceParams>;

/**
 * Default space. Every point satisfies the cross-field checks: exit_conf_threshold ≤ 0.45 <
 * 0.5 ≤ entry_conf_overall, and only risk_map fractions (never its confidences) are searched.
 */
export const CONFIDENCE_SPACE: SearchSpace = Object.freeze({
  'thresholds.entry_conf_overall': { type: 'float', low: 0.5, high: 0.8, step: 0.05 },
  'thresholds.regime_proba.trend': { type: 'float', low: 0.35, high: 0.7, step: 0.05 },
  'thresholds.regime_proba.range': { type: 'float', low: 0.35, high: 0.7, step: 0.05 },
  exit_conf_threshold: { type: 'float', low: 0.3, high: 0.45, step: 0.05 },
  max_hold_bars: { type: 'int', low: 12, high: 120, step: 12 },
  'risk_map.0.1': { type: 'float', low: 0.1, high: 0.5, step: 0.1 },
  'risk_map.1.1': { type: 'float', low: 0.25, high: 1, step: 0.25 },
  rsi_period: { type: 'int', low: 7, high: 21 },
  zscore_period: { type: 'int', low: 10, high: 50, step: 5 },
});
