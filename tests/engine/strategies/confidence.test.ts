import { describe, expect, it } from 'vitest';
import { EXIT_LONG, EXIT_SHORT } from '../../../src/engine/backtest/types.js';
import { confidence } from '../../../src/engine/strategies/confidence.js';
import { confidenceSeries } from '../../../src/engine/strategies/confidence-model.js';
import type { ConfidenceParams } from '../../../src/engine/strategies/confidence-params.js';
import { mostLikelyRegime } from '../../../src/engine/strategies/regime.js';
import { riskFraction } from '../../../src/engine/strategies/risk-map.js';
import { SpyCache, candlesFrom, randomWalk } from './helpers.js';

const parse = (p: unknown): ConfidenceParams => confidence.params.parse(p);
const candles = randomWalk(424242, 1500);

describe('confidence model', () => {
  const p = parse({});
  const s = confidenceSeries(candles, p, {});

  it('long/short confidence and regime probabilities are in [0, 1] after the warm-up, NaN before', () => {
    for (let t = 0; t < s.warmup; t++) expect(Number.isNaN(s.long[t]) && Number.isNaN(s.short[t])).toBe(true);
    for (let t = s.warmup; t < candles.close.length; t++) {
      for (const v of [s.long[t], s.short[t], s.regime.trend[t], s.regime.range[t], s.regime.balanced[t]]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(Math.abs(s.regime.trend[t] + s.regime.range[t] + s.regime.balanced[t] - 1)).toBeLessThan(1e-12);
      expect(s.long[t] + s.short[t]).toBeCloseTo(1, 12);
    }
  });

  it('varies: every regime occurs and confidence spans a useful range', () => {
    const seen = new Set<string>();
    let lo = 1;
    let hi = 0;
    for (let t = s.warmup; t < candles.close.length; t++) {
      seen.add(mostLikelyRegime(s.regime, t) ?? 'none');
      lo = Math.min(lo, s.long[t]);
      hi = Math.max(hi, s.long[t]);
    }
    expect([...seen].sort()).toEqual(['balanced', 'range', 'trend']);
    expect(lo).toBeLessThan(0.35);
    expect(hi).toBeGreaterThan(0.65);
  });

  it('a steady uptrend is bullish in the trend regime; a flat series is neutral, never NaN', () => {
    // rising by 1 % a bar with small wiggles: MACD histogram > 0, RSI high, ADX high
    const up = candlesFrom(Array.from({ length: 300 }, (_, i) => 100 * 1.01 ** i * (1 + 0.002 * Math.sin(i))));
    const su = confidenceSeries(up, p, {});
    const t = up.close.length - 1;
    expect(mostLikelyRegime(su.regime, t)).toBe('trend');
    expect(su.long[t]).toBeGreaterThan(0.6);
    const flat = candlesFrom(new Array<number>(300).fill(50));
    const sf = confidenceSeries(flat, p, {});
    // a constant series makes the z-scores undefined forever: no warm-up end, no confidence
    expect(sf.warmup).toBe(300);
  });
});

describe('confidence strategy signals', () => {
  it('enters only when confidence >= entry threshold and the regime gate passes; sizes with the risk map', () => {
    const p = parse({ direction: 'long_short', thresholds: { entry_conf_overall: 0.55 }, exit_conf_threshold: 0.45, risk_map: [[0.55, 0.25], [0.62, 0.5], [0.7, 1]] });
    const sig = confidence.signals(candles, p, {});
    const s = confidenceSeries(candles, p, {});
    let longs = 0;
    let shorts = 0;
    for (let t = s.warmup + 1; t < candles.close.length; t++) {
      const regime = mostLikelyRegime(s.regime, t);
      const gate = regime !== undefined && s.regime[regime][t] >= p.thresholds.regime_proba[regime];
      const e = sig.entry[t];
      if (e === 1) {
        longs++;
        expect(gate).toBe(true);
        expect(s.long[t]).toBeGreaterThanOrEqual(0.55);
        expect(sig.size?.[t]).toBe(riskFraction(p.risk_map, s.long[t]));
        expect(sig.confidence?.[t]).toBe(s.long[t]);
      } else if (e === -1) {
        shorts++;
        expect(gate).toBe(true);
        expect(s.short[t]).toBeGreaterThanOrEqual(0.55);
        expect(sig.size?.[t]).toBe(riskFraction(p.risk_map, s.short[t]));
      } else {
        expect(sig.size?.[t]).toBe(0);
        if (gate) expect(Math.max(s.long[t], s.short[t])).toBeLessThan(0.55);
      }
      expect(sig.confidence?.[t]).toBe(Math.max(s.long[t], s.short[t]));
      expect((sig.exit[t] & EXIT_LONG) !== 0).toBe(s.long[t] < 0.45);
      expect((sig.exit[t] & EXIT_SHORT) !== 0).toBe(s.short[t] < 0.45);
    }
    expect(longs).toBeGreaterThan(0);
    expect(shorts).toBeGreaterThan(0);
    // sizes used are risk-map fractions
    const sizes = new Set(Array.from(sig.size ?? []).filter((v) => v > 0));
    for (const v of sizes) expect([0.25, 0.5, 1]).toContain(v);
    expect(sizes.size).toBeGreaterThan(1);
  });

  it('a risk map starting above every confidence means no entries; one at 0 sizes everything the same', () => {
    const none = confidence.signals(candles, parse({ risk_map: [[0.999, 1]] }), {});
    expect(none.entry.every((v) => v === 0)).toBe(true);
    const flat = confidence.signals(candles, parse({ risk_map: [[0, 0.3]] }), {});
    const sizes = Array.from(flat.size ?? []).filter((_, t) => flat.entry[t] !== 0);
    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes.every((v) => v === 0.3)).toBe(true);
  });

  it('regime gate: requiring probability 1 blocks every entry; 0 lets every confident bar through', () => {
    const blocked = confidence.signals(candles, parse({ thresholds: { regime_proba: { trend: 1, range: 1, balanced: 1 } } }), {});
    expect(blocked.entry.every((v) => v === 0)).toBe(true);
    const open = parse({ thresholds: { regime_proba: { trend: 0, range: 0, balanced: 0 } } });
    const sig = confidence.signals(candles, open, {});
    const s = confidenceSeries(candles, open, {});
    for (let t = s.warmup + 1; t < candles.close.length; t++) {
      expect(sig.entry[t] === 1, `bar ${t}`).toBe(riskFraction(open.risk_map, s.long[t]) > 0 && s.long[t] >= 0.6);
    }
  });

  it('direction: long_only never shorts and reports long confidence; short_only mirrored', () => {
    const l = confidence.signals(candles, parse({ thresholds: { entry_conf_overall: 0.55 } }), {});
    const sh = confidence.signals(candles, parse({ direction: 'short_only', thresholds: { entry_conf_overall: 0.55 } }), {});
    const s = confidenceSeries(candles, parse({}), {});
    expect(l.entry.some((v) => v === 1) && !l.entry.some((v) => v === -1)).toBe(true);
    expect(sh.entry.some((v) => v === -1) && !sh.entry.some((v) => v === 1)).toBe(true);
    for (let t = s.warmup; t < candles.close.length; t++) {
      expect(l.confidence?.[t]).toBe(s.long[t]);
      expect(sh.confidence?.[t]).toBe(s.short[t]);
    }
  });
});

describe('confidence caching across trials', () => {
  it('trials that change only thresholds/exits/sizing reuse the cached series; an indicator period does not', () => {
    const cache = new SpyCache();
    const a = confidence.signals(candles, parse({}), { cache });
    const setsAfterFirst = cache.sets;
    expect(cache.map.has('confidence.long:12:26:9:14:14:20:14:20:2:100')).toBe(true);
    const b = confidence.signals(candles, parse({ thresholds: { entry_conf_overall: 0.55 }, exit_conf_threshold: 0.4, risk_map: [[0.5, 1]] }), { cache });
    expect(cache.sets).toBe(setsAfterFirst);
    expect(Array.from(b.entry)).not.toEqual(Array.from(a.entry));
    // a different RSI period: new RSI and a new series, the other indicators come from the cache
    const c = confidence.signals(candles, parse({ rsi_period: 10 }), { cache });
    expect(cache.sets).toBe(setsAfterFirst + 1 + 5);
    expect(Array.from(c.confidence ?? [])).not.toEqual(Array.from(a.confidence ?? []));
    // cached and uncached results agree
    expect(Array.from(c.entry)).toEqual(Array.from(confidence.signals(candles, parse({ rsi_period: 10 }), {}).entry));
  });
});
