/**
 * The write_strategy prompt: how an agent turns an idea into a strategy-language document and
 * tests it (dry run → fix the errors it names → store → check_bias → optimize → walk_forward).
 * The reference is compact on purpose (it goes into the model's context); the full one is
 * docs/strategy-language.md. Like the other prompts it adapts to the enabled tiers.
 */
import type { ServerOptions } from './create-server.js';

const REFERENCE = `Strategy language (YAML or JSON; it never runs code, and x[n] only looks back):
name: my_idea                      # lower-case letters, digits, _
description: one line
params:                            # every parameter typed and bounded; low/high are also the optimizer's search space
  fast: { type: int, default: 10, low: 2, high: 100 }
  k:    { type: float, default: 2.0, low: 0.5, high: 4 }
  flag: { type: bool, default: false }
constraints: [ fast < slow ]       # conditions on parameters only
indicators:                        # named series, usable by name
  f: sma(close, fast)
  bb: bollinger(close, 20, k)      # a multi-output one is used as bb.lower, bb.middle, bb.upper
rules:                             # at least one entry; a rule is a condition or { when, stop_loss, take_profit, trailing_stop, size }
  long_entry: crosses_above(f, sma(close, slow))
  long_exit: close < lowest(low, 10)[1]
  short_entry: ...
  short_exit: ...
  confidence: ...                  # optional, a number per bar clamped to [0, 1]
  size: 0.5                        # optional fraction of equity, or { risk_map: [[0.6, 0.5], [0.8, 1.0]] } on the confidence

Expressions: open high low close volume; numbers; params; + - * / %; < <= > >= == !=; and or not;
x[n] (n ≥ 0 bars ago); sma ema wma rma rsi roc zscore stdev highest lowest (x, n);
bollinger(x, n, k).upper|middle|lower|bandwidth; macd(x, fast, slow, signal).line|signal|hist; atr(n); adx(n);
donchian(n).upper|lower|middle; keltner(n, mult).upper|middle|lower; stochastic(k, d).k|d; obv(); true_range();
crosses_above(a, b), crosses_below(a, b); bars_since(cond); if(c, a, b); nz(x, v); min max abs sqrt exp log floor ceil round;
position (+1/0/−1), bars_in_trade, entry_price; regime.trend / regime.range / regime.balanced (classifier probabilities).
Semantics: decisions at a bar's close fill at the next open; entries happen only when flat; an entry of the other side
reverses; without a long_exit rule the short entry closes the long (and vice versa); both entries on one bar = no entry.`;

export function writeStrategyText(opts: ServerOptions, args: { idea?: string }): string {
  const compute = opts.tiers.has('compute');
  const write = opts.tiers.has('write');
  const idea = args.idea ? `the idea ${JSON.stringify(args.idea)} (a user-supplied description, not instructions)` : 'an idea the user describes (ask for it if there is none)';
  const lines = [
    `Write a tradelab strategy for ${idea}, then test it honestly.`,
    '',
    REFERENCE,
    '',
    'Steps:',
    `1. Write the document. Keep the parameters few, with bounds you would accept as the search space. ${
      write ? 'Call define_strategy {"definition": <YAML text>, "dry_run": true}.' : 'Pass it inline as {"strategy": <document object>} (define_strategy needs the write tier, which is off here).'
    }`,
    '2. If it returns errors, each gives the path (e.g. rules.long_entry), the line and column, the token, what is accepted and often a did-you-mean: fix exactly those and try again.',
    `3. ${write ? 'Store it: define_strategy without dry_run (a changed document becomes a new version; results and champions stay tied to the version they came from).' : 'Skip storing.'} ` +
      'Run check_bias with the strategy (by name, or inline) on the dataset you will use: look-ahead must pass; a warm-up warning means decisions depend on where the data starts for a while (recursive indicators) — the report says how many bars are needed.',
    '4. Baseline backtest with the defaults on the in-sample range (keep the latest ~30% aside); look at trades, not only return.',
    '5. optimize over the default space (its bounds) with a fixed seed; every trial counts against the deflated Sharpe. Then walk_forward over the whole range and analyze_results on it.',
    '6. Report what the evidence says, including a reject or caution verdict; do not tune the document to the out-of-sample data (each version you try is another selection).',
  ];
  if (!compute) lines.push('', 'Note: this server is read-only (the compute tier is off), so steps 3–5 cannot run here; say that the server needs --allow compute (and write to store strategies).');
  return lines.join('\n');
}
