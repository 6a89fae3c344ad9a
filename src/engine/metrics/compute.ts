import { TradeLog } from '../backtest/trade-log.js';
import type { Candles, ExecutionSpec, Metrics, SimulationResult } from '../backtest/types.js';
import { drawdownStats } from './drawdown.js';
import type { MetricKey } from './keys.js';
import { alpha, beta } from './market.js';
import { DAY_MS, DAYS_PER_YEAR } from './periods.js';
import { METRIC_RULES } from './profile.js';
import { putPredictionMetrics } from './prediction.js';
import { periodReturns } from './resample.js';
import { researchScore } from './score.js';
import { MetricSink } from './sink.js';
import { tradeStats } from './trades.js';

/** The period returns only live while the risk statistics are computed: one buffer serves every call. */
const returnsScratch = { buf: new Float64Array(0) };

/**
 * Performance metrics of a simulation (EXECUTION.md §3 for `default`, §4 for
 * `backtesting.py`). Keys are snake_case, percentages in percent, drawdowns negative.
 * Every value is finite or null; each null has its reason in `warnings`.
 *
 * Besides the documented keys: `periods_per_year` (the A used) and `open_trades` (trades
 * still open at the end, not in the trade statistics). `commissions` is every fee paid
 * (`default`) or, like backtesting.py's `Commissions [$]`, the entry + exit fees of the
 * closed trades only (see METRIC_RULES).
 *
 * `predictions`, `hit_rate_pct`, `brier` and `ece` score the strategy's `confidence` series
 * (Signals.confidence, passed as `confidence`) at its entries over
 * `spec.prediction_horizon` bars (prediction.ts); without a confidence series they are null.
 */
export function computeMetrics(
  candles: Candles,
  sim: SimulationResult,
  spec: ExecutionSpec,
  confidence?: Float64Array,
): { metrics: Metrics; warnings: string[] } {
  const rules = METRIC_RULES[spec.profile];
  const out = new MetricSink<MetricKey>();
  const { time, close } = candles;
  const equity = sim.equity;
  const n = equity.length;
  if (n === 0) {
    out.warn('no bars: every metric is undefined');
    return { metrics: out.metrics, warnings: out.warnings };
  }
  const e0 = equity[0];
  const eF = equity[n - 1];
  const totalReturn = eF / e0 - 1;
  const w = Math.min(Math.max(0, sim.warmup), n - 1);
  const buyHold = close[n - 1] / close[w] - 1;
  const rf = spec.risk_free_rate;

  // returns and annualisation
  const rule = rules.periods(time);
  const a = rule.periodsPerYear;
  const r = periodReturns(time, equity, rule.sampling, returnsScratch);
  const risk = rules.risk(r, a, rf);
  const years = (time[n - 1] - time[0]) / DAY_MS / DAYS_PER_YEAR;
  const cagr = years > 0 ? (eF / e0) ** (1 / years) - 1 : NaN;
  const dd = drawdownStats(time, equity, rules.dropLastBarEpisode);
  const log = sim.tradeLog ?? TradeLog.fromTrades(sim.trades);
  const ts = tradeStats(log);
  const b = beta(equity, close);

  out.put('return_pct', totalReturn * 100);
  out.put('equity_final', eF);
  out.put('equity_peak', dd.peakEquity);
  out.put('buy_hold_return_pct', buyHold * 100);
  out.put('return_ann_pct', risk.returnAnn * 100, 'fewer than 2 equity samples');
  out.put('cagr_pct', cagr * 100, 'the data spans no time');
  out.put('volatility_ann_pct', risk.volatilityAnn * 100, risk.why.volatility);
  out.put('sharpe', risk.sharpe, risk.why.sharpe);
  out.put('sortino', risk.sortino, risk.why.sortino);
  const calmarBase = rules.calmarBasis === 'cagr' ? cagr : risk.returnAnn;
  out.put('calmar', dd.maxDrawdown > 0 ? calmarBase / dd.maxDrawdown : NaN, dd.maxDrawdown > 0 ? undefined : 'no drawdown');
  out.put('alpha_pct', alpha(totalReturn * 100, buyHold * 100, b, rf * 100), 'beta is undefined');
  out.put('beta', b, 'undefined (zero variance of the asset returns, or zero equity)');
  out.put('max_drawdown_pct', -dd.maxDrawdown * 100);
  const noEpisode = dd.droppedLastBar > 0
    ? 'the only drawdown starts on the last bar, which backtesting.py does not count as a drawdown episode'
    : 'no drawdown (equity never fell below its running peak)';
  out.put('avg_drawdown_pct', -dd.avgDrawdown * 100, noEpisode);
  out.put('max_drawdown_duration_days', rules.days(dd.maxDurationMs, rule), noEpisode);
  out.put('avg_drawdown_duration_days', rules.days(dd.avgDurationMs, rule), noEpisode);

  out.put('trades', ts.count);
  const noTrades = 'no closed trades';
  out.put('win_rate_pct', ts.winRate * 100, noTrades);
  out.put('best_trade_pct', ts.best * 100, noTrades);
  out.put('worst_trade_pct', ts.worst * 100, noTrades);
  out.put('avg_trade_pct', ts.geometricMean * 100, noTrades);
  out.put('expectancy_pct', ts.expectancy * 100, noTrades);
  out.put('profit_factor', ts.profitFactor, ts.count === 0 ? noTrades : 'no losing trade');
  out.put('sqn', ts.sqn, ts.count < 2 ? 'fewer than 2 closed trades' : 'zero variance of trade pnl');
  out.put('kelly', ts.kelly, ts.count === 0 ? noTrades : 'needs both winning and losing trades');
  out.put('max_trade_duration_days', rules.days(ts.maxDurationMs, rule), noTrades);
  out.put('avg_trade_duration_days', rules.days(ts.avgDurationMs, rule), noTrades);
  out.put('exposure_pct', (ts.barsInMarket / n) * 100);
  let fees = 0;
  for (let i = 0; i < log.length; i++) fees += log.fees[i];
  if (rules.commissions === 'all_fees') for (const t of sim.open_trades) fees += t.fees;
  out.put('commissions', fees);

  const sc = researchScore({
    sharpe: out.metrics.sharpe ?? null,
    totalReturn,
    maxDrawdown: dd.maxDrawdown,
    winRate: ts.count > 0 ? ts.winRate : null,
    trades: ts.count,
    minTrades: spec.min_trades,
  });
  out.put('score', sc.score);
  for (const msg of sc.warnings) out.warn(msg);
  out.put('periods_per_year', a);
  out.put('open_trades', sim.open_trades.length);
  putPredictionMetrics(out, candles, sim, confidence, spec.prediction_horizon);
  if (sim.stopped_at !== undefined) out.warn(`run stopped early at bar ${sim.stopped_at} by a checkpoint: metrics cover a partial run`);
  if (sim.bankrupt_at !== undefined) out.warn(`equity reached 0 at bar ${sim.bankrupt_at}: everything was closed and the run stopped`);
  if (sim.skipped.length > 0) out.warn(`${sim.skipped.length} order(s) skipped by the broker (see skipped)`);
  return { metrics: out.metrics, warnings: out.warnings };
}
