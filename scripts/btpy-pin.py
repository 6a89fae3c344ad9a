#!/usr/bin/env python3
"""
Prints backtesting.py's own numbers for the parity cases pinned in the tests
(tests/helpers/reference-case.ts `README_CASE_METRICS`, tests/engine/metrics/no-drawdown.test.ts).
Not run by the test suite: it records where those numbers come from, so anyone can re-derive
them.

    python3 scripts/btpy-pin.py /path/to/backtesting.py-0.6.6 ../shared/data/goog_1d.csv

The first argument is a checkout of kernc/backtesting.py at tag 0.6.6 (e.g.
`git archive 0.6.6 backtesting | tar -x -C DIR`). Needs numpy and pandas (Debian bookworm's
python3-numpy 1.24.2 and python3-pandas 1.5.3 were used). bokeh is only needed for plotting,
so its module is replaced by a stub here; Backtest.run and compute_stats are untouched.

Cases:
  readme   backtesting.py's README example: SmaCross(10, 20) on GOOG, commission .002,
           exclusive_orders=True, no finalize_trades (the README passes no cash: backtesting.py's
           default, 10,000).
  rise     a synthetic V-shaped series (60 daily bars from 2024-01-01: Close falls 1 a bar
           to 80 at bar 20, then rises 1.7 a bar; Open = previous Close), a long-only
           SMA(3)/SMA(6) cross, cash 10,000: one trade, still open at the end; equity never
           falls below its running peak.
  rise_fee   as `rise` with commission .002.
  rise_fin   as `rise_fee` with finalize_trades=True (the exit fee on the last bar's Open
             makes a drawdown that starts on the very last bar).
  flat     the same series falling 0.5 a bar from 100: no golden cross, no trade, flat equity.
"""
import json
import math
import sys
import types
import warnings

import numpy as np
import pandas as pd

src, goog_csv = sys.argv[1], sys.argv[2]
sys.path.insert(0, src)
stub = types.ModuleType('backtesting._plotting')
stub.plot = stub.plot_heatmaps = lambda *a, **k: None
stub.set_bokeh_output = lambda *a, **k: None
sys.modules['backtesting._plotting'] = stub

from backtesting import Backtest, Strategy  # noqa: E402
from backtesting.lib import crossover  # noqa: E402
from backtesting.test import GOOG, SMA  # noqa: E402

warnings.simplefilter('ignore')


class SmaCross(Strategy):  # verbatim from backtesting.py 0.6.6's README
    def init(self):
        price = self.data.Close
        self.ma1 = self.I(SMA, price, 10)
        self.ma2 = self.I(SMA, price, 20)

    def next(self):
        if crossover(self.ma1, self.ma2):
            self.buy()
        elif crossover(self.ma2, self.ma1):
            self.sell()


class LongCross(Strategy):
    def init(self):
        self.a = self.I(SMA, self.data.Close, 3)
        self.b = self.I(SMA, self.data.Close, 6)

    def next(self):
        if crossover(self.a, self.b):
            self.buy()
        elif crossover(self.b, self.a):
            self.position.close()


def synthetic(close):
    opens = [close[0]] + close[:-1]
    idx = pd.date_range('2024-01-01', periods=len(close), freq='D')
    return pd.DataFrame({'Open': opens, 'High': np.maximum(opens, close), 'Low': np.minimum(opens, close),
                         'Close': close, 'Volume': 1.0}, index=idx)


goog = pd.read_csv(goog_csv, index_col=0, parse_dates=True)
goog.index = goog.index.tz_localize(None)
goog.columns = ['Open', 'High', 'Low', 'Close', 'Volume']
assert np.allclose(goog.values, GOOG.values, rtol=0, atol=0) and (goog.index == GOOG.index).all(), 'not the GOOG of backtesting.py'

v = synthetic([100 - i if i <= 20 else 80 + 1.7 * (i - 20) for i in range(60)])
cases = {
    'readme': Backtest(goog, SmaCross, commission=.002, exclusive_orders=True),
    'rise': Backtest(v, LongCross, cash=10000),
    'rise_fee': Backtest(v, LongCross, cash=10000, commission=.002),
    'rise_fin': Backtest(v, LongCross, cash=10000, commission=.002, finalize_trades=True),
    'flat': Backtest(synthetic([100 - 0.5 * i for i in range(60)]), LongCross, cash=10000),
}


def plain(x):
    if isinstance(x, pd.Timedelta):
        return x / pd.Timedelta(days=1)
    x = float(x)
    return None if math.isnan(x) else x  # inf is printed as Infinity


out = {}
for name, bt in cases.items():
    s = bt.run()
    row = {k: plain(val) for k, val in s.items() if not k.startswith('_') and k not in ('Start', 'End', 'Duration')}
    row['(open trades)'] = len(s._strategy.trades)
    row['(sum of _trades.Commission)'] = float(s._trades['Commission'].sum())
    out[name] = row
print(json.dumps(out, indent=1))
