#!/usr/bin/env python3
"""
Prints backtesting.py 0.6.6's own trades and figures for the issue's `rsi_levels` document
(RSI mean reversion, long only), pinned in tests/engine/strategies/lang/btpy-rsi.test.ts.
Not run by the test suite: it records where those numbers come from.

    /usr/bin/python3 scripts/btpy-rsi.py /path/to/backtesting.py-0.6.6 ../shared/data

The first argument is a checkout of kernc/backtesting.py at tag 0.6.6 (e.g.
`git archive 0.6.6 backtesting | tar -x -C DIR`); needs numpy and pandas (Debian bookworm's
python3-numpy 1.24.2 and python3-pandas 1.5.3 were used); bokeh is stubbed as in btpy-pin.py.

The strategy is written the way a backtesting.py user writes it: Wilder's RSI (EXECUTION.md
§6: seeded with the mean of the first `period` changes, then (avg·(period−1) + x)/period;
100 when the average loss is 0, 50 when both are 0), `buy()` when flat and RSI < lower,
`position.close()` when long and RSI > upper.
"""
import json
import math
import sys
import types
import warnings

import numpy as np
import pandas as pd

src, data_dir = sys.argv[1], sys.argv[2]
sys.path.insert(0, src)
stub = types.ModuleType('backtesting._plotting')
stub.plot = stub.plot_heatmaps = lambda *a, **k: None
stub.set_bokeh_output = lambda *a, **k: None
sys.modules['backtesting._plotting'] = stub

from backtesting import Backtest, Strategy  # noqa: E402

warnings.simplefilter('ignore')


def wilder_rsi(close, period):
    close = np.asarray(close, dtype=float)
    n = len(close)
    out = np.full(n, np.nan)
    if n <= period:
        return out

    def value(g, l):
        if l == 0:
            return 50.0 if g == 0 else 100.0
        return 100.0 - 100.0 / (1.0 + g / l)

    gain_sum = loss_sum = 0.0
    for i in range(1, period + 1):
        d = close[i] - close[i - 1]
        if close[i] > close[i - 1]:
            gain_sum += d
        else:
            loss_sum += close[i - 1] - close[i]
    g, l = gain_sum / period, loss_sum / period
    out[period] = value(g, l)
    keep = period - 1
    for i in range(period + 1, n):
        up = close[i] > close[i - 1]
        gain = close[i] - close[i - 1] if up else 0.0
        loss = 0.0 if up else close[i - 1] - close[i]
        g = (g * keep + gain) / period
        l = (l * keep + loss) / period
        out[i] = value(g, l)
    return out


class RsiLevels(Strategy):
    period = 14
    lower = 30
    upper = 70

    def init(self):
        self.r = self.I(wilder_rsi, self.data.Close, self.period)

    def next(self):
        if not self.position and self.r[-1] < self.lower:
            self.buy()
        elif self.position and self.r[-1] > self.upper:
            self.position.close()


def load(file):
    df = pd.read_csv(f'{data_dir}/{file}', index_col=0, parse_dates=True)
    df.index = df.index.tz_localize(None)
    df.columns = ['Open', 'High', 'Low', 'Close', 'Volume']
    return df


def plain(x):
    if isinstance(x, pd.Timedelta):
        return x / pd.Timedelta(days=1)
    x = float(x)
    return None if math.isnan(x) else x


CASES = [
    ('goog_1d.csv', dict(cash=10000, commission=0), dict()),
    ('goog_1d.csv', dict(cash=10000, commission=.002, finalize_trades=True), dict(period=10, lower=35, upper=65)),
    ('eurusd_1h.csv', dict(cash=10000, commission=0), dict()),
    ('eth_btc_5m.csv', dict(cash=10000, commission=.001, finalize_trades=True), dict(period=6, lower=25, upper=75)),
]

out = []
for file, bt_args, params in CASES:
    s = Backtest(load(file), RsiLevels, **bt_args).run(**params)
    t = s._trades
    out.append({
        'file': file,
        'backtest': bt_args,
        'params': params,
        'trades': [[int(r.EntryBar), int(r.ExitBar), float(r.Size), float(r.EntryPrice), float(r.ExitPrice), float(r.PnL)] for r in t.itertuples()],
        'open_trades': len(s._strategy.trades),
        'equity_final': plain(s['Equity Final [$]']),
        'return_pct': plain(s['Return [%]']),
        'max_drawdown_pct': plain(s['Max. Drawdown [%]']),
        'win_rate_pct': plain(s['Win Rate [%]']),
    })
print(json.dumps(out, indent=1))
