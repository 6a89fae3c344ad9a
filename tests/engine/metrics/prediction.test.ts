/** Prediction-quality metrics on hand-worked vectors: hit rate, Brier score, ECE, predictions. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXECUTION, type ExecutionSpec } from '../../../src/engine/backtest/types.js';
import { computeMetrics } from '../../../src/engine/metrics/compute.js';
import { ECE_BINS, entriesOf, predictionStats, type PredictionEntry } from '../../../src/engine/metrics/prediction.js';
import { allFiniteOrNull, candlesFrom, dailyTimes, fakeSim, trade } from './fixtures.js';

// bars:            0    1    2   3   4    5    6
const CLOSE = [100, 101, 99, 99, 102, 104, 103];
const CONF = Float64Array.from([0.8, 0.65, 0.6, 0.9, 0.55, NaN, 0.7]);
// decision bar t, direction; confidence is CONF[t]
const ENTRIES: PredictionEntry[] = [
  { bar: 0, direction: 1 }, // H=1: 100 → 101 up, long right (y 1)   | H=2: 100 → 99, wrong (y 0)
  { bar: 1, direction: -1 }, // H=1: 101 → 99 down, short right (y 1) | H=2: 101 → 99, right (y 1)
  { bar: 2, direction: 1 }, //  H=1: 99 → 99 flat: a miss (y 0)       | H=2: 99 → 102, right (y 1)
  { bar: 3, direction: -1 }, // H=1: 99 → 102 up, short wrong (y 0)  | H=2: 99 → 104, wrong (y 0)
  { bar: 4, direction: 1 }, //  H=1: 102 → 104, right (y 1)           | H=2: 102 → 103, right (y 1)
  { bar: 5, direction: 1 }, //  no confidence at bar 5: not a prediction
  { bar: 6, direction: 1 }, //  last bar: its horizon is past the data, not scored
];

describe('predictionStats by hand', () => {
  // Each case: the horizon, then Brier and ECE worked out by hand from the table above.
  const CASES = [
    {
      h: 1,
      // (0.8−1)² + (0.65−1)² + (0.6−0)² + (0.9−0)² + (0.55−1)² = 0.04 + 0.1225 + 0.36 + 0.81 + 0.2025 = 1.535
      brier: 1.535 / 5,
      // bins 5 {0.55→1}: |0.55−1|·1/5 = 0.09; 6 {0.65→1, 0.6→0}: |0.625−0.5|·2/5 = 0.05;
      //      8 {0.8→1}: 0.2·1/5 = 0.04; 9 {0.9→0}: 0.9·1/5 = 0.18
      ece: 0.09 + 0.05 + 0.04 + 0.18,
    },
    {
      h: 2,
      // 0.8² + 0.35² + 0.4² + 0.9² + 0.45² = 0.64 + 0.1225 + 0.16 + 0.81 + 0.2025 = 1.935
      brier: 1.935 / 5,
      // bins 5 {0.55→1}: 0.09; 6 {0.65→1, 0.6→1}: |0.625−1|·2/5 = 0.15; 8 {0.8→0}: 0.16; 9 {0.9→0}: 0.18
      ece: 0.09 + 0.15 + 0.16 + 0.18,
    },
  ];
  for (const { h, brier, ece } of CASES) {
    it(`H = ${h}: 5 predictions (one without confidence, one past the end), 3 hits, Brier ${brier}, ECE ${ece}`, () => {
      const s = predictionStats(CLOSE, ENTRIES, CONF, h);
      expect([s.predictions, s.withoutConfidence, s.beyondEnd]).toEqual([5, 1, 1]);
      expect(s.hitRate).toBeCloseTo(3 / 5, 15);
      expect(s.brier).toBeCloseTo(brier, 15);
      expect(s.ece).toBeCloseTo(ece, 15);
    });
  }

  it('H = 5 leaves only the entries with five bars after them (bars 0 and 1)', () => {
    const s = predictionStats(CLOSE, ENTRIES, CONF, 5);
    expect(s.predictions).toBe(2);
    expect(s.beyondEnd).toBe(4);
    // bar 0 long: 100 → 104 right; bar 1 short: 101 → 103 wrong
    expect(s.hitRate).toBe(0.5);
    expect(s.brier).toBeCloseTo(((0.8 - 1) ** 2 + 0.65 ** 2) / 2, 15);
    expect(s.ece).toBeCloseTo(0.5 * 0.2 + 0.5 * 0.65, 15);
  });

  it('calibration errors inside one bin cancel in ECE but not in the Brier score', () => {
    const close = [10, 11, 10];
    const conf = Float64Array.from([0.5, 0.5, NaN]);
    const s = predictionStats(close, [{ bar: 0, direction: 1 }, { bar: 1, direction: 1 }], conf, 1);
    expect(s.hitRate).toBe(0.5);
    expect(s.ece).toBe(0);
    expect(s.brier).toBe(0.25);
  });

  it('bins are [k/10, (k+1)/10) with 1.0 in the last one', () => {
    const close = [10, 11, 12, 11, 10];
    // long at bar 0 (10 → 11, right) and at bar 2 (12 → 11, wrong)
    const edges = predictionStats(close, [{ bar: 0, direction: 1 }, { bar: 2, direction: 1 }], Float64Array.from([0.1, NaN, 0.19, NaN, NaN]), 1);
    // 0.1 and 0.19 share bin 1: |0.145 − 0.5| = 0.355 (were 0.1 in bin 0: 0.5·0.9 + 0.5·0.19 = 0.545)
    expect(edges.ece).toBeCloseTo(0.355, 15);
    const top = predictionStats(close, [{ bar: 2, direction: 1 }, { bar: 0, direction: 1 }], Float64Array.from([0.9, NaN, 1.0, NaN, NaN]), 1);
    // 1.0 (wrong) and 0.9 (right) share bin 9: |0.95 − 0.5| = 0.45 (separate bins would give 0.55)
    expect(top.ece).toBeCloseTo(0.45, 15);
    expect(ECE_BINS).toBe(10);
  });

  it('a confidence outside [0, 1] is clamped and counted', () => {
    const s = predictionStats([10, 11], [{ bar: 0, direction: 1 }], Float64Array.from([1.25, NaN]), 1);
    expect(s.clamped).toBe(1);
    expect(s.brier).toBe(0);
    expect(s.ece).toBe(0);
  });

  it('no predictions: NaN statistics (the caller turns them into null), and a bad horizon is refused', () => {
    const s = predictionStats(CLOSE, [], CONF, 1);
    expect(s.predictions).toBe(0);
    expect([s.hitRate, s.brier, s.ece].every(Number.isNaN)).toBe(true);
    expect(() => predictionStats(CLOSE, ENTRIES, CONF, 0)).toThrow(/horizon/);
    expect(() => predictionStats(CLOSE, ENTRIES, CONF, 1.5)).toThrow(/horizon/);
  });
});

describe('prediction metrics in computeMetrics', () => {
  const time = dailyTimes(CLOSE.length, false);
  const candles = candlesFrom(time, CLOSE);
  const equity = new Float64Array(CLOSE.length).fill(1000);
  const spec = (h: number): ExecutionSpec => ({ ...DEFAULT_EXECUTION, cash: 1000, prediction_horizon: h });
  // trades fill the bar after their decision: decisions at 0, 1, 3 (closed) and 4 (still open)
  const sim = fakeSim(
    equity,
    [trade({ entry_bar: 1, exit_bar: 2 }), trade({ direction: 'short', entry_bar: 2, exit_bar: 3 }), trade({ direction: 'short', entry_bar: 4, exit_bar: 5 })],
    [{ direction: 'long', size: 1, entry_bar: 5, entry_time: time[5], entry_price: 104, mark_price: 103, unrealized_pnl: -1, fees: 0 }],
  );

  it('scores the entries of closed and open trades at their decision bars', () => {
    expect(entriesOf(sim).map((e) => [e.bar, e.direction])).toEqual([[0, 1], [1, -1], [3, -1], [4, 1]]);
    const { metrics, warnings } = computeMetrics(candles, sim, spec(1), CONF);
    expect(metrics.predictions).toBe(4);
    expect(metrics.hit_rate_pct).toBeCloseTo(75, 12); // right, right, wrong, right
    expect(metrics.brier).toBeCloseTo((0.04 + 0.1225 + 0.81 + 0.2025) / 4, 15);
    // bins 5 {0.55→1}, 6 {0.65→1}, 8 {0.8→1}, 9 {0.9→0}: (0.45 + 0.35 + 0.2 + 0.9) / 4
    expect(metrics.ece).toBeCloseTo((0.45 + 0.35 + 0.2 + 0.9) / 4, 15);
    expect(warnings.filter((w) => /predictions|brier|ece|hit_rate/.test(w))).toEqual([]);
  });

  it('the horizon comes from the execution spec', () => {
    const { metrics } = computeMetrics(candles, sim, spec(2), CONF);
    expect(metrics.predictions).toBe(4);
    expect(metrics.hit_rate_pct).toBeCloseTo(50, 12); // bar 0 long 100→99 wrong, 1 short right, 3 short wrong, 4 long right
  });

  it('without a confidence series all four are null with one warning', () => {
    const { metrics, warnings } = computeMetrics(candles, sim, spec(1));
    for (const k of ['predictions', 'hit_rate_pct', 'brier', 'ece']) expect(metrics[k], k).toBeNull();
    expect(warnings.filter((w) => w.includes('brier'))).toEqual(['predictions, hit_rate_pct, brier, ece: the strategy emits no confidence']);
    expect(allFiniteOrNull(metrics)).toBe(true);
  });

  it('with a confidence series but no entry: 0 predictions, the rest null with reasons', () => {
    const { metrics, warnings } = computeMetrics(candles, fakeSim(equity), spec(1), CONF);
    expect(metrics.predictions).toBe(0);
    for (const k of ['hit_rate_pct', 'brier', 'ece']) {
      expect(metrics[k], k).toBeNull();
      expect(warnings.some((w) => w.startsWith(`${k}: no predictions`)), k).toBe(true);
    }
  });

  it('entries without a finite confidence are left out, with a warning', () => {
    const conf = Float64Array.from(CONF);
    conf[3] = NaN;
    const { metrics, warnings } = computeMetrics(candles, sim, spec(1), conf);
    expect(metrics.predictions).toBe(3);
    expect(warnings).toContain('1 entry has no finite confidence at the decision bar: not counted as predictions');
  });
});
