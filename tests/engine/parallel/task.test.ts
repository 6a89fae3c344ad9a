import { describe, expect, it } from 'vitest';
import { DEFAULT_EXECUTION } from '../../../src/engine/backtest/types.js';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import { executeTask, SeriesCaches, type BacktestTask } from '../../../src/engine/parallel/task.js';
import { getStrategy, strategyNames } from '../../../src/engine/strategies/registry.js';

const candles = generateSynthetic({ symbol: 'T', timeframe: '1h', bars: 3000, seed: 11, start: Date.UTC(2021, 0, 1) });
const clock = (): number => 0;

function task(strategy: string, params: Record<string, unknown>, want: BacktestTask['want'], start = 0, end = candles.time.length): BacktestTask {
  const full = getStrategy(strategy).params.parse(params) as Record<string, unknown>;
  return { key: 'k', start, end, strategy, params: full, spec: DEFAULT_EXECUTION, want, checkpoints: 5 };
}

describe('executeTask with the thread scratch buffers', () => {
  it("gives 'metrics' and 'trades' tasks the same results as a 'full' one, whatever ran before on the thread", () => {
    // one SeriesCaches (one thread): every strategy, twice, on two ranges, so each metrics task
    // reuses equity and signal buffers last written by a different run (longer or shorter)
    const shared = new SeriesCaches();
    const runs = strategyNames().flatMap((s) => [
      { s, p: {}, start: 0, end: candles.time.length },
      { s, p: {}, start: 500, end: 2200 },
      { s, p: { direction: 'long_short' }, start: 0, end: candles.time.length },
    ]);
    for (const round of [0, 1]) {
      for (const { s, p, start, end } of round === 0 ? runs : [...runs].reverse()) {
        const viaScratch = executeTask(candles, task(s, p, 'metrics', start, end), shared, clock);
        const fresh = executeTask(candles, task(s, p, 'full', start, end), new SeriesCaches(), clock);
        expect(viaScratch.metrics, `${s} [${start}, ${end})`).toEqual(fresh.metrics);
        expect(viaScratch.ledger).toEqual(fresh.ledger);
        expect(viaScratch.intermediate).toEqual(fresh.intermediate);
        expect(viaScratch.equity).toBeUndefined();
        const withTrades = executeTask(candles, task(s, p, 'trades', start, end), shared, clock);
        expect(withTrades.metrics).toEqual(fresh.metrics);
        expect([withTrades.trades, withTrades.open_trades, withTrades.skipped]).toEqual([fresh.trades, fresh.open_trades, fresh.skipped]);
        expect(withTrades.equity).toBeUndefined();
      }
    }
  });

  it("returns a 'full' task's equity as its own array, untouched by later tasks", () => {
    const caches = new SeriesCaches();
    const full = executeTask(candles, task('sma_cross', {}, 'full'), caches, clock);
    const copy = Float64Array.from(full.equity!);
    executeTask(candles, task('rsi_reversion', {}, 'metrics'), caches, clock);
    expect(full.equity).toEqual(copy);
  });
});
