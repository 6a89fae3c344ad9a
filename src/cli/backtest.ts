/** `tradelab backtest`: one backtest from a CSV file or a stored dataset (EXECUTION.md §6 flags). */
import { runBacktest } from '../engine/backtest/run.js';
import type { Metrics, OpenTrade, Trade } from '../engine/backtest/types.js';
import { cliStrategy, openCliApp } from './app.js';
import { backtest } from '../research/backtest.js';
import { resolveChampionParams } from '../research/champions/index.js';
import { resolveDataset } from '../research/datasets.js';
import { UserError } from '../research/errors.js';
import { resolveExecution } from '../research/execution.js';
import { resolveParams } from '../research/strategy-params.js';
import { countFlag, jsonFlag, numberFlag, out, parse } from './args.js';
import { metricLines, tradeLines } from './backtest-text.js';
import { readCsvCandles, STRATEGY_DATA_FLAGS } from './csv-candles.js';

export const BACKTEST_HELP = `tradelab backtest --strategy NAME [--params JSON] (--csv FILE | --symbol S --timeframe TF) [options]

Data:      --csv FILE (not stored) | --symbol S --timeframe TF [--dataset-version N] (from the store)
           --from DATE (inclusive) --to DATE (exclusive)
Execution: --cash N --commission F --slippage-bps N --stop-loss F --take-profit F --trailing-stop F
           --max-hold-bars N --finalize-trades --profile default|backtesting.py --whole-units
           --direction long_only|short_only|long_short
Metrics:   --prediction-horizon N (bars; hit_rate_pct, brier, ece of a strategy with a confidence, default 1)
Output:    --trades N  list the last N trades (default 10; 0 none, all), times in ISO-8601 UTC
           --json  prints {"metrics": {...}, "trades": [...], "warnings": [...]} (times in epoch ms)`;

const OPTIONS = {
  ...STRATEGY_DATA_FLAGS,
  cash: { type: 'string' },
  commission: { type: 'string' },
  'slippage-bps': { type: 'string' },
  'stop-loss': { type: 'string' },
  'take-profit': { type: 'string' },
  'trailing-stop': { type: 'string' },
  'max-hold-bars': { type: 'string' },
  'finalize-trades': { type: 'boolean' },
  'whole-units': { type: 'boolean' },
  profile: { type: 'string' },
  direction: { type: 'string' },
  'prediction-horizon': { type: 'string' },
  trades: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function backtestCommand(argv: string[]): Promise<number> {
  const { values: v } = parse(argv, OPTIONS, 'backtest');
  if (v.help) return (out(BACKTEST_HELP), 0);
  if (typeof v.strategy !== 'string') throw new UserError('--strategy is required', { field: '--strategy', hint: BACKTEST_HELP.split('\n')[0] });
  const execution: Record<string, unknown> = {
    cash: numberFlag(v.cash, 'cash'),
    commission: numberFlag(v.commission, 'commission'),
    slippage_bps: numberFlag(v['slippage-bps'], 'slippage-bps'),
    stop_loss: numberFlag(v['stop-loss'], 'stop-loss'),
    take_profit: numberFlag(v['take-profit'], 'take-profit'),
    trailing_stop: numberFlag(v['trailing-stop'], 'trailing-stop'),
    max_hold_bars: numberFlag(v['max-hold-bars'], 'max-hold-bars'),
    finalize_trades: v['finalize-trades'] ? true : undefined,
    whole_units: v['whole-units'] ? true : undefined,
    profile: v.profile,
    direction: v.direction,
    prediction_horizon: numberFlag(v['prediction-horizon'], 'prediction-horizon'),
  };
  const listed = v.trades === 'all' ? Infinity : (countFlag(v.trades, 'trades') ?? 10);
  const wantsChampion = v.params === 'champion';
  let params = wantsChampion ? undefined : jsonFlag(v.params, 'params');
  let metrics: Metrics;
  let trades: Trade[];
  let open: OpenTrade[];
  let warnings: string[];
  let label: string;
  if (typeof v.csv === 'string') {
    if (wantsChampion) throw new UserError('--params champion needs a stored dataset (--symbol/--timeframe), not --csv', { field: '--params', value: 'champion' });
    const strategy = cliStrategy(v.strategy);
    const p = resolveParams(strategy, params);
    const spec = resolveExecution(execution, 'flags');
    const candles = readCsvCandles(v.csv, { symbol: v.symbol as string | undefined, timeframe: v.timeframe as string | undefined, from: v.from as string | undefined, to: v.to as string | undefined });
    const r = runBacktest(candles, strategy, p, spec);
    ({ metrics, trades, warnings, open_trades: open } = r);
    label = `${strategy.name} on ${v.csv} (${candles.time.length} bars, not stored)`;
  } else {
    const app = openCliApp();
    try {
      let championNote = '';
      if (wantsChampion) {
        const ds = resolveDataset(app, { symbol: v.symbol as string | undefined, timeframe: v.timeframe as string | undefined, version: numberFlag(v['dataset-version'], 'dataset-version') });
        const c = resolveChampionParams(app, v.strategy, ds.symbol, ds.timeframe);
        params = c.params;
        championNote = `, champion v${c.version} params`;
      }
      const r = backtest(app, {
        strategy: v.strategy,
        params,
        symbol: v.symbol as string | undefined,
        timeframe: v.timeframe as string | undefined,
        version: numberFlag(v['dataset-version'], 'dataset-version'),
        from: v.from as string | undefined,
        to: v.to as string | undefined,
        execution,
      });
      ({ metrics, trades, warnings, open_trades: open } = r.result);
      label = `${r.resolved.strategy.name} on ${r.resolved.dataset.symbol} ${r.resolved.dataset.timeframe} (${r.resolved.candles.time.length} bars)${championNote}, run ${r.run_id}${r.cached ? ' (from the store)' : ''}`;
    } finally {
      app.db.close();
    }
  }
  if (v.json) {
    out(JSON.stringify({ metrics, trades, warnings }));
    return 0;
  }
  out(label);
  out(metricLines(metrics).join('\n'));
  for (const w of warnings) out(`  warning: ${w}`);
  const lines = tradeLines(trades, open, listed);
  if (lines.length) out(lines.join('\n'));
  return 0;
}
