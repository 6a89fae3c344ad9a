/**
 * Errors a model can fix in one step: each names the document path, the line and column in
 * the expression, the offending token, and what would be accepted, before anything runs.
 */
import { describe, expect, it } from 'vitest';
import { formatLangError } from '../../../../src/engine/strategies/lang/index.js';
import { compiled, doc, errorsOf } from './helpers.js';

const compiledOk = (d: unknown): boolean => compiled(d) !== undefined;

const one = (d: unknown) => {
  const errs = errorsOf(d);
  expect(errs, errs.map(formatLangError).join('\n')).toHaveLength(1);
  return errs[0];
};

describe('names', () => {
  it('an unknown name: did-you-mean and the accepted names', () => {
    const e = one(doc({ long_entry: 'crosses_above(sma(close, fsat), sma(close, slow))' }));
    expect(e).toMatchObject({ path: 'rules.long_entry', line: 1, column: 26, token: 'fsat', did_you_mean: 'fast' });
    expect(e.expected).toEqual(expect.arrayContaining(['fast', 'slow', 'close', 'position', 'regime']));
    expect(e.message).toContain('unknown name "fsat"; did you mean "fast"?');
  });

  it('a parameter used but not declared is an unknown name that says where to declare it', () => {
    const e = one(doc({ long_entry: 'rsi(close, period) < lower' }));
    expect(e).toMatchObject({ path: 'rules.long_entry', column: 12, token: 'period' });
    expect(e.message).toContain('must be declared under params');
  });

  it('an unknown function gets the function names', () => {
    const e = one(doc({ long_entry: 'smaa(close, 5) > close' }));
    expect(e).toMatchObject({ column: 1, token: 'smaa', did_you_mean: 'sma' });
    expect(e.expected).toEqual(expect.arrayContaining(['sma', 'ema', 'rsi', 'crosses_above', 'bars_since']));
  });

  it('a function used as a value, a value called as a function', () => {
    expect(one(doc({ long_entry: 'close > sma' })).message).toMatch(/"sma" is a function: call it, sma\(x, n\)/);
    expect(one(doc({ long_entry: 'close(1) > 2' })).message).toContain('"close" is not a function');
  });

  it('a multi-output indicator needs a member, and the member must exist', () => {
    expect(one(doc({ long_entry: 'close < bollinger(close, 20, 2)' })).message).toContain('pick one with .upper, .middle, .lower, .bandwidth');
    const e = one(doc({ long_entry: 'close < bollinger(close, 20, 2).uper' }));
    expect(e).toMatchObject({ token: 'uper', did_you_mean: 'upper', column: 33 });
    expect(one(doc({ long_entry: 'regime > 0.5' })).message).toContain('write regime.trend');
  });

  it('a named indicator that refers to itself', () => {
    const e = one(doc({ long_entry: 'a > 0' }, { indicators: { a: 'b + 1', b: 'a * 2' } }));
    expect(e.path).toMatch(/^indicators\.[ab]$/);
    expect(e.message).toMatch(/refers to itself \((a → b → a|b → a → b)\)/);
  });

  it('an error inside a named indicator is reported once, under the indicator', () => {
    const errs = errorsOf(doc({ long_entry: 'r < 30', long_exit: 'r > 70' }, { indicators: { r: 'rsi(close, perod)' } }));
    expect(errs.map((e) => [e.path, e.token])).toEqual([['indicators.r', 'perod']]);
  });
});

describe('types', () => {
  it('a number where a condition is expected', () => {
    const e = one(doc({ long_entry: 'rsi(close, 14)' }));
    expect(e).toMatchObject({ path: 'rules.long_entry', line: 1, column: 1, token: 'rsi' });
    expect(e.message).toContain('must be a condition (true/false), but "rsi(close, 14)" is a number series');
  });

  it('a condition in arithmetic, and numbers under and/or/not', () => {
    const e = one(doc({ long_entry: '(close > open) * 2 > 1' }));
    expect(e.message).toContain('the left operand of "*" must be a number, but "close > open" is a condition');
    expect(e.column).toBe(8);
    expect(one(doc({ long_entry: 'close and open' })).message).toContain('the left operand of "and" must be a condition');
    expect(one(doc({ long_entry: 'not close' })).message).toContain('the operand of "not" must be a condition');
  });

  it('wrong argument counts and kinds', () => {
    expect(one(doc({ long_entry: 'sma(close) > 1' })).message).toContain('sma takes 2 arguments, got 1: sma(x, n)');
    expect(one(doc({ long_entry: 'sma(20, close) > 1' })).message).toContain('the x argument of sma must be a series');
    expect(one(doc({ long_entry: 'sma(close, close) > 1' })).message).toContain('the n argument of sma must be a constant');
    expect(one(doc({ long_entry: 'sma(close, 2.5) > 1' })).message).toContain('must be a whole number');
    expect(one(doc({ long_entry: 'sma(close, fast / 2) > 1' })).message).toContain('must be a whole number');
    expect(one(doc({ long_entry: 'crosses_above(1, 2)' })).message).toContain('needs at least one series');
    expect(one(doc({ long_entry: 'sma(close[1] * position, 3) > 1' })).message).toContain('depends on the position');
  });

  it('periods must be in range for every declared parameter value', () => {
    const e = one(doc({ long_entry: 'sma(close, fast - 5) > 1' }));
    expect(e.message).toBe('the n argument of sma must be >= 1, but "fast - 5" can be -3 for the declared parameter bounds');
    expect(one(doc({ long_entry: 'zscore(close, 1) > 1' })).message).toContain('must be >= 2');
    expect(one(doc({ long_entry: 'sma(close, 1000000) > 1' })).message).toContain('must be <= 100000');
  });

  it('an offset into the future, literal or possible for a declared bound', () => {
    const e = one(doc({ long_entry: 'close > highest(high, 20)[-1]' }));
    expect(e).toMatchObject({ path: 'rules.long_entry', line: 1, column: 27, token: '-1' });
    expect(e.message).toBe('highest(high, 20)[-1] would look into the future: offsets must be >= 0');
    const p = one(doc({ long_entry: 'close > close[fast - 10]' }));
    expect(p.message).toContain('would look into the future: offsets must be >= 0 (it can be -8 for the declared parameter bounds)');
    expect(one(doc({ long_entry: 'close > close[1.5]' })).message).toContain('whole number of bars');
    expect(one(doc({ long_entry: 'fast[1] > 2' })).message).toContain('"fast" is a constant');
    expect(one(doc({ long_entry: 'close > close[volume]' })).message).toContain('must be a constant number of bars');
  });

  it('expression line and column on a second line, and the document line from YAML', () => {
    const text = 'name: s\nparams:\n  n: { type: int, default: 5, low: 1, high: 9 }\nrules:\n  long_entry: |\n    close > sma(close, n)\n    and volume > nn\n';
    const e = one(text);
    expect(e).toMatchObject({ path: 'rules.long_entry', line: 2, column: 14, token: 'nn', did_you_mean: 'n', doc_line: 5 });
    const plain = one('name: s\nrules:\n  long_entry: close > sma(close, 20) and volume > vol\n');
    expect(plain).toMatchObject({ line: 1, column: 37, doc_line: 3, doc_column: 51 });
  });
});

describe('the document', () => {
  it('bounds and defaults must agree', () => {
    expect(one(doc({ long_entry: 'close > sma(close, n)' }, { params: { n: { type: 'int', default: 500, low: 2, high: 100 } } }))).toMatchObject({
      path: 'params.n.default',
      message: 'default (500) must be within [low, high] = [2, 100]',
    });
    expect(one(doc({ long_entry: 'close > sma(close, n)' }, { params: { n: { type: 'int', default: 5, low: 20, high: 10 } } })).message).toBe('low (20) must be <= high (10)');
    expect(one(doc({ long_entry: 'close > sma(close, n)' }, { params: { n: { type: 'int', default: 5.5, low: 2, high: 10 } } })).message).toContain('must be an integer');
    expect(errorsOf(doc({ long_entry: 'close > sma(close, n)' }, { params: { n: { type: 'int', default: 5 } } })).map((e) => [e.path, e.message])).toEqual([
      ['params.n.low', 'low is required for an int parameter (the optimizer searches between low and high)'],
      ['params.n.high', 'high is required for an int parameter (the optimizer searches between low and high)'],
    ]);
    expect(one(doc({ long_entry: 'close > sma(close, n)' }, { params: { n: { type: 'integer', default: 5, low: 1, high: 9 } } }))).toMatchObject({ path: 'params.n.type', did_you_mean: 'int' });
    expect(one(doc({ long_entry: 'close > sma(close, n)' }, { params: { n: { type: 'int', default: 5, low: 1, high: 9, hihg: 3 } } }))).toMatchObject({ path: 'params.n.hihg', did_you_mean: 'high' });
  });

  it('constraints may only use declared parameters', () => {
    const e = one(doc({ long_entry: 'close > sma(close, fast)' }, { constraints: ['fast < slwo'] }));
    expect(e).toMatchObject({ path: 'constraints.0', token: 'slwo', did_you_mean: 'slow', column: 8 });
    expect(one(doc({ long_entry: 'close > sma(close, fast)' }, { constraints: ['fast < close'] })).message).toContain('only parameters and numbers');
  });

  it('unknown keys, forbidden keys, reserved names', () => {
    const key = one({ ...doc({ long_entry: 'close > open' }), rule: {} });
    expect(key).toMatchObject({ path: 'rule', did_you_mean: 'rules' });
    expect(formatLangError(key)).toBe('rule at "rule": unknown key "rule"; did you mean "rules"?; accepted keys: name, description, direction, params, indicators, constraints, rules, regimes, regime');
    expect(one(doc({ long_entry: 'close > open', long_exti: 'close < open' }))).toMatchObject({ path: 'rules.long_exti', did_you_mean: 'long_exit' });
    expect(one(JSON.parse('{"name":"x","rules":{"long_entry":"close > open","__proto__":{}}}')).message).toContain('not allowed');
    expect(one(doc({ long_entry: 'close > open' }, { params: { close: { type: 'int', default: 1, low: 1, high: 2 } } })).message).toContain('already a name of the language');
    expect(one(doc({ long_entry: 'close > open' }, { params: { direction: { type: 'int', default: 1, low: 1, high: 2 } } })).message).toContain('reserved');
    expect(one({ ...doc({ long_entry: 'close > open' }), name: 'Bad Name' }).path).toBe('name');
    // max_hold_bars: only as an int parameter of at least one bar (the simulator's holding limit)
    expect(one(doc({ long_entry: 'close > open' }, { params: { max_hold_bars: { type: 'float', default: 5, low: 1, high: 9 } } })).message).toContain('reserved');
    expect(one(doc({ long_entry: 'close > open' }, { params: { max_hold_bars: { type: 'int', default: 5, low: 0, high: 9 } } }))).toMatchObject({ path: 'params.max_hold_bars.low' });
  });

  it('rules need an entry, and an exit needs its entry', () => {
    expect(errorsOf(doc({ long_exit: 'close > open' })).map((e) => e.message)).toEqual([
      'rules need long_entry or short_entry (or both)',
      'long_exit without long_entry: no long position is ever opened',
    ]);
    expect(one(doc({ long_entry: { when: 'close > open', stop: 0.1 } }))).toMatchObject({ path: 'rules.long_entry.stop', did_you_mean: 'stop_loss' });
    expect(one(doc({ long_exit: { when: 'close > open', stop_loss: 0.1 }, long_entry: 'close < open' })).path).toBe('rules.long_exit.stop_loss');
  });

  it('stops, sizes and risk maps out of range', () => {
    expect(one(doc({ long_entry: { when: 'close > open', stop_loss: 1.5 } })).message).toBe('stop_loss (a fraction of the entry price) must be in (0, 1); got 1.5');
    expect(one(doc({ long_entry: { when: 'close > open', take_profit: 'fast - 2' } })).message).toBe('take_profit (a fraction of the entry price) must be > 0; "fast - 2" can be 0 for the declared parameter bounds');
    expect(one(doc({ long_entry: { when: 'close > open', trailing_stop: 'fast / 10' } })).message).toBe('trailing_stop (a fraction of the entry price) must be in (0, 1); "fast / 10" can be 5 for the declared parameter bounds');
    expect(compiledOk(doc({ long_entry: { when: 'close > open', trailing_stop: 'fast / 100', stop_loss: '2 * atr(14) / close' } }))).toBe(true);
    expect(one(doc({ long_entry: 'close > open', size: 2 })).message).toBe('size (a fraction of equity; 0 = no entry) must be in [0, 1]; got 2');
    expect(one(doc({ long_entry: 'close > open', size: { risk_map: [[0.6, 0.5]] } })).message).toContain('add rules.confidence');
    expect(one(doc({ long_entry: 'close > open', confidence: '0.7', size: { risk_map: [[0.6, 1.5]] } })).path).toBe('rules.size.risk_map.0.1');
  });

  it('a direction the rules cannot trade', () => {
    expect(one({ ...doc({ long_entry: 'close > open' }), direction: 'long_short' })).toMatchObject({ path: 'direction', expected: ['long_only'] });
    expect(one({ ...doc({ long_entry: 'close > open' }), direction: 'both' })).toMatchObject({ path: 'direction' });
  });

  it('YAML syntax errors and duplicate keys carry the document line', () => {
    const e = one('name: x\nrules:\n  long_entry: [close > open\n  long_exit: close < open\n');
    expect(e.doc_line).toBeGreaterThanOrEqual(3);
    expect(e.message).toContain('not valid YAML');
    const d = one('name: x\nrules:\n  long_entry: close > open\n  long_entry: close < open\n');
    expect(d).toMatchObject({ doc_line: 4 });
    expect(d.message).toContain('a key appears twice');
  });

  it('collects errors of several expressions at once', () => {
    const errs = errorsOf(doc({ long_entry: 'rsii(close, 14) < 30', long_exit: 'close >', short_entry: 'close < sma(close, fast)[-2]' }));
    expect(errs.map((e) => e.path)).toEqual(['rules.long_entry', 'rules.long_exit', 'rules.short_entry']);
  });

  it('formatLangError puts path, position, token and fix on one line', () => {
    const e = one(doc({ long_entry: 'crosses_above(sma(close, fsat), sma(close, slow))' }));
    expect(formatLangError(e)).toBe('rules.long_entry, line 1, column 26 at "fsat": unknown name "fsat"; did you mean "fast"? (a parameter must be declared under params); accepted: fast, slow, open, high, low, close, volume, position, bars_in_trade, entry_price, regime');
  });
});
