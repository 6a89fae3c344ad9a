/**
 * `by_regime`: one backtest (explicit params or the current champion) with its result split
 * by regime. The regime of a bar is the strategy's own (a language strategy with `regime` /
 * `regimes`: the parameter set in force) or the built-in classifier's most likely regime
 * (`regimes: classifier`, for any strategy). The return of bar t is earned with the position
 * decided at the close of bar t − 1, so it is counted in the regime of bar t − 1; a trade is
 * counted in the regime of the bar whose close decided it (its entry bar − 1).
 */
import { compileStrategy, type LangStrategyDef } from '../../engine/strategies/lang/index.js';
import type { StrategyDef } from '../../engine/strategies/types.js';
import { getRun } from '../../storage/runs.js';
import type { ItemResult } from '../batch/rank.js';
import { loadRunResult, runBars } from '../run-result.js';
import { recordedStrategy } from '../strategies.js';
import { resolveStrategy } from '../strategy-params.js';
import { baseParams, datasetOf, fail, within, type BuiltScenario, type ScenarioContext } from './context.js';
import { regimeStats, type RegimeRow } from './regime-stats.js';
import type { ByRegimeInput } from './schema.js';

/** The built-in classifier as a strategy-language program (the same code path strategies use). */
const CLASSIFIER = compileStrategy({ name: 'classifier_regimes', params: {}, regime: 'classifier', regimes: { trend: {}, range: {}, balanced: {} }, rules: { long_entry: 'close < 0' } });

function regimesOf(def: StrategyDef): LangStrategyDef | null {
  const lang = def as Partial<LangStrategyDef>;
  return typeof lang.regimeOf === 'function' ? (def as LangStrategyDef) : null;
}

export function buildByRegime(ctx: ScenarioContext, b: ByRegimeInput): BuiltScenario {
  const def = within(ctx, 'by_regime.strategy', b.strategy, () => resolveStrategy(b.strategy, ctx.app.db));
  const source = b.regimes ?? (regimesOf(def)?.program.regime ? 'strategy' : 'classifier');
  if (source === 'strategy') {
    if (!regimesOf(def)?.program.regime) throw fail(ctx, 'by_regime.regimes', 'strategy', `${def.name} has no regimes of its own`, '"classifier" (the built-in classifier\'s regime), or a strategy-language strategy with regime/regimes');
  }
  const { params, champion } = baseParams(ctx, 'by_regime', def, b);
  const ref = b.dataset ?? ctx.shared.dataset ?? (champion ? { symbol: champion.symbol, timeframe: champion.timeframe } : undefined);
  if (!ref) throw fail(ctx, 'by_regime.dataset', undefined, 'no dataset to run on', '{symbol, timeframe} here, in the scenario or under defaults');
  const items = [{ strategy: b.strategy, ...datasetOf(ref), from: b.from ?? ctx.shared.from, to: b.to ?? ctx.shared.to, execution: ctx.shared.execution, params, label: champion ? `champion v${champion.version}` : 'run' }];
  const info = { strategy: def.name, params, champion, regimes: source };
  return {
    items,
    info,
    report: (results: readonly ItemResult[]) => {
      const r = results[0];
      if (!r || r.status !== 'ok' || !r.run_id) return { by_regime: { ...info, rows: null, reason: r?.error ?? 'the backtest did not run' } };
      return { by_regime: { ...info, run_id: r.run_id, ...split(ctx, r.run_id, source) } };
    },
  };
}

function split(ctx: ScenarioContext, runId: string, source: 'strategy' | 'classifier'): { rows: RegimeRow[] | null; reason?: string; basis: string } {
  const basis =
    'bar t’s return (equity[t]/equity[t−1]) and a trade entered at bar t count in the regime of bar t−1, whose close decided them; sharpe = mean/stdev of those bar returns × √(bars per year of the timeframe)';
  const run = getRun(ctx.app.db, runId);
  const res = loadRunResult(ctx.app, runId);
  if (!run || !res) return { rows: null, reason: `run ${runId} has no stored result`, basis };
  const { bars, dataset: ds } = runBars(ctx.app, run);
  if (bars.time.length !== res.equity.length) return { rows: null, reason: `run ${runId}: ${res.equity.length} equity values for ${bars.time.length} bars`, basis };
  const def = recordedStrategy(run.spec, null, ctx.app.db);
  const params = run.spec.params as Record<string, unknown>;
  if (!CLASSIFIER.ok) throw new Error('the classifier program does not compile');
  const reg = source === 'strategy' ? (def as LangStrategyDef).regimeOf(bars, params as never) : CLASSIFIER.def.regimeOf(bars, CLASSIFIER.def.params.parse({}));
  if (!reg) return { rows: null, reason: `${def.name} has no regimes`, basis };
  return { rows: regimeStats(bars.time, res.equity, reg.index, reg.names, res.trades, ds.timeframe), basis };
}
