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

/**
 * backtesting.py's README example, SmaCross(10, 20) on GOOG with commission .002,
 * `exclusive_orders=True`, cash 10,000 and no `finalize_trades` (the last trade stays open
 * and out of the trade stats). Printed by backtesting.py 0.6.6 itself (tag 0.6.6 of
 * kernc/backtesting.py, Debian bookworm python3 3.11 with python3-numpy 1.24.2 and
 * python3-pandas 1.5.3, bokeh stubbed out) via
 *   python3 scripts/btpy-pin.py <backtesting.py-0.6.6 checkout> ../shared/data/goog_1d.csv
 * (case `readme`). `commissions` is its `Commissions [$]`: the entry + exit fees of the 93
 * closed trades, without the open trade's entry fee.
 * CLI: `--strategy sma_cross --params '{"fast":10,"slow":20,"direction":"long_short"}'
 * --profile backtesting.py --cash 10000 --commission 0.002`.
 */
export const README_CASE_METRICS: Readonly<Record<string, number>> = Object.freeze({
  trades: 93,
  commissions: 10563.951540000002,
  return_pct: 462.6351934000004,
  equity_final: 56263.51934000004,
  equity_peak: 56309.05934000004,
  exposure_pct: 94.27374301675978,
  buy_hold_return_pct: 607.3703606212162,
  return_ann_pct: 22.477535903687684,
  volatility_ann_pct: 37.41641461272365,
  cagr_pct: 22.4446420570769,
  sharpe: 0.6007399729861899,
  sortino: 1.1450872477645853,
  calmar: 0.6624368233865422,
  alpha_pct: 450.6213474022805,
  beta: 0.019780099222214582,
  max_drawdown_pct: -33.93159182905461,
  avg_drawdown_pct: -6.160722831468624,
  max_drawdown_duration_days: 830,
  avg_drawdown_duration_days: 50,
  win_rate_pct: 52.68817204301075,
  best_trade_pct: 56.918681084536324,
  worst_trade_pct: -16.829431932773094,
  avg_trade_pct: 1.7581398952719596,
  max_trade_duration_days: 121,
  avg_trade_duration_days: 32,
  profit_factor: 1.9934882545908599,
  expectancy_pct: 2.290430336833818,
  sqn: 1.5843922090024816,
  kelly: 0.20928817404808409,
});
