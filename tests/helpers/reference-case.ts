/**
 * backtesting.py 0.6.6's pinned numbers for SmaCross(10, 30) on GOOG
 * (`TestBacktest.test_compute_stats`, EXECUTION.md §5): the outside reference that the
 * simulator, the strategy and the CLI are each checked against.
 */
export const REFERENCE_METRICS: Readonly<Record<string, number>> = Object.freeze({
  trades: 66,
  return_pct: 414.2298999999996,
  equity_final: 51422.98999999996,
  equity_peak: 75787.44,
  exposure_pct: 96.74115456238361,
  buy_hold_return_pct: 522.0601851851852,
  return_ann_pct: 21.191099249053224,
  volatility_ann_pct: 36.49716090702389,
  cagr_pct: 21.160245705962623,
  sharpe: 0.5806232244485349,
  sortino: 1.085343435248866,
  calmar: 0.44166409202994616,
  alpha_pct: 394.3739114202746,
  beta: 0.03803390709192207,
  max_drawdown_pct: -47.98012705007588,
  avg_drawdown_pct: -5.925851581948801,
  max_drawdown_duration_days: 584,
  avg_drawdown_duration_days: 41,
  win_rate_pct: 46.96969696969697,
  best_trade_pct: 53.59595229490424,
  worst_trade_pct: -18.39887353835481,
  avg_trade_pct: 2.531715975158555,
  max_trade_duration_days: 183,
  avg_trade_duration_days: 46,
  profit_factor: 2.167945974262033,
  expectancy_pct: 3.274807806674883,
  sqn: 1.07661873566977,
  kelly: 0.1518705127029717,
});

/** The metrics that follow from the trades and the equity curve alone (not the annualisation). */
export const REFERENCE_TRADE_METRICS: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(
    Object.entries(REFERENCE_METRICS).filter(([k]) => !['return_ann_pct', 'volatility_ann_pct', 'sharpe', 'sortino', 'calmar'].includes(k)),
  ),
);
