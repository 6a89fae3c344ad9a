/**
 * compileStrategy: the issue's two documents as written, the compiled StrategyDef (params
 * schema, search space, warm-up), the canonical form and its hash, no look-ahead by
 * construction, and no code execution anywhere in the language's sources.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sliceBars } from '../../../../src/engine/data/candles.js';
import { compileStrategy, compileStrategyText, parseStrategyText } from '../../../../src/engine/strategies/lang/index.js';
import { REPO_ROOT } from '../../../helpers/shared-data.js';
import { randomWalk } from '../helpers.js';
import { compiled, configText } from './helpers.js';

/** Verbatim from issue 11. */
const RSI_LEVELS = `name: rsi_levels
params:
  period: { type: int, default: 14, low: 2, high: 100 }
  lower:  { type: float, default: 30, low: 1, high: 50 }
  upper:  { type: float, default: 70, low: 50, high: 99 }
indicators:
  r: rsi(close, period)
rules:
  long_entry: r < lower
  long_exit: r > upper
`;

const MA_CROSS = `name: ma_cross
params:
  fast: { type: int, default: 10, low: 2, high: 100 }
  slow: { type: int, default: 30, low: 5, high: 400 }
constraints: [ fast < slow ]
rules:
  long_entry: crosses_above(sma(close, fast), sma(close, slow))
  short_entry: crosses_below(sma(close, fast), sma(close, slow))
`;

describe('the issue\'s documents, as written', () => {
  it('rsi_levels compiles: params, long only, search space from the declared bounds', () => {
    const r = compileStrategyText(RSI_LEVELS);
    expect(r.ok && r.warnings).toEqual([]);
    const def = compiled(RSI_LEVELS);
    expect(def.name).toBe('rsi_levels');
    expect(def.params.parse({})).toEqual({ period: 14, lower: 30, upper: 70, direction: 'long_only' });
    expect(def.defaultSpace).toEqual({ period: { type: 'int', low: 2, high: 100 }, lower: { type: 'float', low: 1, high: 50 }, upper: { type: 'float', low: 50, high: 99 } });
    expect(def.warmup(def.params.parse({ period: 21 }))).toBe(21);
  });

  it('ma_cross compiles: long and short, the constraint is checked with a message naming the values', () => {
    const def = compiled(MA_CROSS);
    expect(def.params.parse({})).toEqual({ fast: 10, slow: 30, direction: 'long_short' });
    expect(def.warmup(def.params.parse({}))).toBe(29);
    const bad = def.params.safeParse({ fast: 40, slow: 20 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['fast'], message: 'constraint "fast < slow" does not hold: fast = 40, slow = 20' });
    expect(def.params.safeParse({ fast: 1 }).error!.issues[0].message).toBe('fast must be >= 2, got 1');
    expect(def.params.safeParse({ fats: 3 }).error!.issues[0].message).toContain('(did you mean "fast"?)');
  });

  it('the shipped config/strategies files are these documents (comments aside)', () => {
    expect(compiled(configText('rsi_levels.yaml')).hash).toBe(compiled(RSI_LEVELS).hash);
    expect(compiled(configText('ma_cross.yaml')).hash).toBe(compiled(MA_CROSS).hash);
  });

  it('every shipped config/strategies document compiles without warnings and is named after its file', () => {
    const dir = resolve(REPO_ROOT, 'config', 'strategies');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      const r = compileStrategyText(readFileSync(resolve(dir, f), 'utf8'));
      expect(r.ok ? r.warnings : r.errors, f).toEqual([]);
      expect(r.ok && r.def.name, f).toBe(f.replace(/\.yaml$/, ''));
    }
  });
});

describe('canonical form and hash', () => {
  it('layout, spacing, key order and redundant parentheses do not change the hash', () => {
    const a = compileStrategyText(MA_CROSS);
    const b = compileStrategy({
      rules: { short_entry: 'crosses_below( sma(close,fast) , sma(close , slow) )', long_entry: '(crosses_above(sma(close, fast), sma(close, slow)))' },
      constraints: ['(fast) < slow'],
      params: { slow: { high: 400, low: 5, default: 30, type: 'int' }, fast: { type: 'int', default: 10, low: 2, high: 100 } },
      name: 'ma_cross',
    });
    expect(a.ok && b.ok).toBe(true);
    expect(a.ok && a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.ok && b.ok && a.hash === b.hash).toBe(true);
  });

  it('the canonical document compiles to the same hash (it is a valid document)', () => {
    for (const text of [RSI_LEVELS, MA_CROSS, configText('donchian_breakout_lang.yaml')]) {
      const a = compileStrategyText(text);
      if (!a.ok) throw new Error('did not compile');
      const b = compileStrategy(JSON.parse(JSON.stringify(a.canonical)));
      expect(b.ok && b.hash).toBe(a.hash);
    }
  });

  it('any change of meaning changes the hash', () => {
    const base = compiled(MA_CROSS).hash;
    const variants = [
      MA_CROSS.replace('default: 10', 'default: 11'),
      MA_CROSS.replace('high: 400', 'high: 300'),
      MA_CROSS.replace('crosses_below(sma(close, fast)', 'crosses_below(ema(close, fast)'),
      MA_CROSS.replace('[ fast < slow ]', '[ fast <= slow ]'),
      MA_CROSS.replace('name: ma_cross', 'name: ma_cross2'),
    ];
    const hashes = variants.map((v) => compiled(v).hash);
    expect(new Set([base, ...hashes]).size).toBe(variants.length + 1);
  });

  it('opts.name overrides the document\'s name', () => {
    const r = compileStrategyText(MA_CROSS, { name: 'my_cross' });
    expect(r.ok && r.def.name).toBe('my_cross');
  });
});

describe('warnings', () => {
  it('a parameter or a named indicator that no rule uses', () => {
    const r = compileStrategy({ name: 'x', params: { n: { type: 'int', default: 3, low: 1, high: 9 } }, indicators: { unused: 'sma(close, 5)' }, rules: { long_entry: 'close > open' } });
    expect(r.ok && r.warnings).toEqual(['params.n is declared but no rule uses it', 'indicators.unused is defined but no rule uses it']);
  });
});

describe('no look-ahead by construction', () => {
  it('signals on a prefix of the bars equal the signals of the full series on that prefix', () => {
    const c = randomWalk(17, 400);
    const docs = [RSI_LEVELS, MA_CROSS, ...readdirSync(resolve(REPO_ROOT, 'config', 'strategies')).map((f) => configText(f))];
    docs.push(`name: busy
params:
  n: { type: int, default: 7, low: 2, high: 30 }
indicators:
  z: zscore(close, 20)
  band: bollinger(close, n, 2)
rules:
  long_entry: { when: 'crosses_above(macd(close, 5, 13, 4).line, 0) and z < 1 and bars_since(close > close[1]) <= 2', stop_loss: '2 * atr(n) / close' }
  long_exit: close < lowest(low, n)[1] or bars_in_trade > 20
  short_entry: stochastic(14, 3).k > 80 and regime.range > 0.4
  confidence: nz(regime.trend, 0.5)
`.replace('band: bollinger(close, n, 2)', 'band: bollinger(close, n, 2).upper').replace('long_exit: close < lowest(low, n)[1] or bars_in_trade > 20', 'long_exit: close < lowest(low, n)[1] or bars_in_trade > 20 or close > band'));
    for (const text of docs) {
      const def = compiled(text);
      const p = def.params.parse({});
      const full = def.signals(c, p, {});
      for (const cut of [60, 150, 299]) {
        const part = def.signals(sliceBars(c, 0, cut), p, {});
        expect(Array.from(part.entry), `${def.name} @${cut}`).toEqual(Array.from(full.entry.subarray(0, cut)));
        expect(Array.from(part.exit), `${def.name} @${cut}`).toEqual(Array.from(full.exit.subarray(0, cut)));
      }
    }
  });
});

describe('safe by construction', () => {
  it('the language sources never evaluate code: no eval, Function, vm, import() or require', () => {
    const dir = resolve(REPO_ROOT, 'src', 'engine', 'strategies', 'lang');
    for (const f of readdirSync(dir)) {
      const src = readFileSync(resolve(dir, f), 'utf8');
      expect(src, f).not.toMatch(/\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(|node:vm|from\s+'vm'|\bimport\s*\(|\brequire\s*\(/);
    }
  });

  it('YAML tags cannot build anything: only plain data comes out', () => {
    const r = parseStrategyText('name: x\nrules:\n  long_entry: !!js/function "function () { return 1 }"\n');
    const ok = r.ok && compileStrategy(r.doc);
    expect(r.ok === false || (ok && !ok.ok)).toBe(true);
  });
});
