/**
 * The two documents in the backtesting.py profile against backtesting.py 0.6.6 itself.
 * `rsi_levels` reproduces backtesting.py's RSI mean reversion, long only: every trade (bars,
 * size, prices, P&L) and the final figures, as printed by scripts/btpy-rsi.py (backtesting.py
 * run on the same files), and it is the built-in rsi_reversion long_only in that profile bar
 * for bar. `ma_cross` reproduces backtesting.py's pinned SmaCross(10, 30) case on GOOG
 * (EXECUTION.md §5).
 */
import { expect, it } from 'vitest';
import { runBacktest } from '../../../../src/engine/backtest/run.js';
import { DEFAULT_EXECUTION, type Candles, type ExecutionSpec } from '../../../../src/engine/backtest/types.js';
import { getStrategy } from '../../../../src/engine/strategies/registry.js';
import { REFERENCE_TRADE_METRICS } from '../../../helpers/reference-case.js';
import { describeShared, readSharedBars } from '../../../helpers/shared-data.js';
import { compiled, configText } from './helpers.js';

interface BtpyCase {
  readonly file: string;
  readonly backtest: { cash: number; commission: number; finalize_trades?: boolean };
  readonly params: Partial<Record<'period' | 'lower' | 'upper', number>>;
  /** [entry bar, exit bar, size, entry price, exit price, P&L] per closed trade. */
  readonly trades: readonly (readonly number[])[];
  readonly open_trades: number;
  readonly equity_final: number;
  readonly return_pct: number;
  readonly max_drawdown_pct: number;
  readonly win_rate_pct: number;
}

/** Printed by `/usr/bin/python3 scripts/btpy-rsi.py <backtesting.py 0.6.6> ../shared/data`. */
const CASES: readonly BtpyCase[] = [
  {
    file: 'goog_1d.csv',
    backtest: {"cash": 10000, "commission": 0},
    params: {},
    trades: [[373, 422, 27.0, 361.95, 439.4, 2091.1499999999996], [493, 525, 33.0, 364.98, 415.46, 1665.8399999999988], [862, 925, 24.0, 560.71, 557.94, -66.47999999999956], [987, 1126, 29.0, 466.72, 371.28, -2767.7600000000016], [1367, 1424, 19.0, 546.59, 563.0, 311.7899999999994], [1437, 1534, 22.0, 500.98, 512.86, 261.3599999999999], [1653, 1740, 20.0, 572.8, 592.49, 393.8000000000011], [1873, 1913, 20.0, 571.98, 646.6, 1492.4], [2072, 2129, 20.0, 654.65, 767.69, 2260.8000000000015]],
    open_trades: 0,
    equity_final: 15642.899999999998,
    return_pct: 56.428999999999974,
    max_drawdown_pct: -49.02073447589896,
    win_rate_pct: 77.77777777777779,
  },
  {
    file: 'goog_1d.csv',
    backtest: {"cash": 10000, "commission": 0.002, "finalize_trades": true},
    params: {"period": 10, "lower": 35, "upper": 65},
    trades: [[110, 117, 55.0, 179.27, 206.47, 1453.5685999999994], [141, 158, 63.0, 180.44, 189.24, 507.8203200000008], [248, 267, 42.0, 283.36, 297.28, 535.8662399999982], [292, 298, 41.0, 299.9, 343.37, 1729.5218600000012], [359, 406, 34.0, 407.38, 389.19, -672.6267599999999], [437, 464, 35.0, 375.93, 401.58, 843.3242999999992], [484, 521, 37.0, 386.14, 395.15, 275.55453999999963], [589, 604, 31.0, 461.72, 501.99, 1188.6199799999995], [624, 660, 34.0, 460.68, 472.14, 326.2082399999993], [735, 767, 31.0, 519.01, 529.36, 255.8510600000007], [851, 923, 25.0, 653.94, 539.39, -2923.4165000000016], [971, 1103, 25.0, 527.68, 332.98, -4910.5329999999985], [1113, 1119, 29.0, 288.35, 344.54, 1592.80238], [1144, 1164, 33.0, 307.22, 364.5, 1845.9064799999992], [1229, 1235, 30.0, 400.0, 436.68, 1050.1992], [1363, 1396, 22.0, 581.2, 564.78, -411.6631200000016], [1431, 1486, 23.0, 528.95, 491.73, -903.0112800000006], [1512, 1532, 25.0, 467.97, 492.5, 565.2264999999993], [1574, 1599, 21.0, 585.0, 605.34, 377.14572000000067], [1645, 1731, 21.0, 599.8, 525.3, -1611.7542], [1756, 1803, 19.0, 561.0, 599.47, 686.8321400000005], [1833, 1839, 20.0, 579.37, 622.99, 824.3056000000001], [1870, 1898, 21.0, 586.0, 622.0, 705.264], [1929, 1996, 21.0, 608.56, 600.48, -220.45967999999846], [2059, 2087, 18.0, 705.58, 702.24, -110.80152000000058]],
    open_trades: 0,
    equity_final: 12999.751099999998,
    return_pct: 29.997510999999978,
    max_drawdown_pct: -59.02440176940187,
    win_rate_pct: 68.0,
  },
  {
    file: 'eurusd_1h.csv',
    backtest: {"cash": 10000, "commission": 0},
    params: {},
    trades: [[252, 271, 9185.0, 1.08868, 1.09664, 73.1125999999997], [339, 412, 9253.0, 1.0886, 1.09063, 18.78358999999978], [686, 725, 9060.0, 1.11389, 1.12336, 85.7981999999988], [842, 964, 9077.0, 1.12122, 1.12626, 45.7480799999994], [985, 1101, 9160.0, 1.11605, 1.1176, 14.197999999999453], [1273, 1347, 9001.0, 1.1373, 1.13866, 12.24136000000025], [1853, 1972, 8691.0, 1.17934, 1.1816, 19.64165999999938], [2014, 2117, 8745.0, 1.17428, 1.17886, 40.05210000000025], [2283, 2424, 8643.0, 1.1927, 1.19591, 27.74402999999944], [2483, 2572, 8648.0, 1.19524, 1.19746, 19.198559999999038], [2650, 2687, 8709.0, 1.18906, 1.19918, 88.13507999999919], [2713, 2812, 8786.0, 1.18868, 1.18295, -50.343780000000116], [2833, 2970, 8860.0, 1.17311, 1.17764, 40.13579999999932], [3052, 3151, 8837.0, 1.18066, 1.18522, 40.29671999999909], [3195, 3247, 8925.0, 1.17356, 1.1797, 54.79950000000031], [3271, 3508, 8984.0, 1.17198, 1.164, -71.69232000000088], [3664, 3731, 8912.0, 1.1734, 1.1799, 57.92799999999956], [3828, 3872, 8883.0, 1.18374, 1.19226, 75.68316000000074], [3946, 4092, 8971.0, 1.18054, 1.18202, 13.277080000001327], [4464, 4516, 8842.0, 1.19928, 1.20056, 11.317760000001503]],
    open_trades: 1,
    equity_final: 10550.215900000001,
    return_pct: 5.5021590000000105,
    max_drawdown_pct: -1.4080473399021187,
    win_rate_pct: 90.0,
  },
  {
    file: 'eth_btc_5m.csv',
    backtest: {"cash": 10000, "commission": 0.001, "finalize_trades": true},
    params: {"period": 6, "lower": 25, "upper": 75},
    trades: [[10, 49, 103419.0, 0.09659711, 0.09726994, 49.533869326049924], [57, 82, 107374.0, 0.09349996, 0.095495, 193.92228012496037], [119, 180, 107718.0, 0.095, 0.09060635, -493.2683355092999], [201, 234, 110686.0, 0.088, 0.08798908, -20.688218428879733], [273, 325, 108812.0, 0.08932596, 0.09129996, 195.1406203929604], [355, 398, 110532.0, 0.0897, 0.087906, -217.92555439200044], [459, 540, 109682.0, 0.08841, 0.08751496, -117.46557874271997], [601, 667, 108588.0, 0.08822018, 0.0882399, -17.020091807039908], [704, 747, 105748.0, 0.09042796, 0.0913, 72.99911760592047], [770, 838, 106204.0, 0.09072666, 0.09119985, 30.933347691959824], [924, 944, 103818.0, 0.09310996, 0.09429985, 104.0754883654199], [980, 989, 104664.0, 0.09334999, 0.09469998, 121.61329129992097], [1068, 1170, 99727.0, 0.09918999, 0.09819555, -118.85718562757992], [1231, 1323, 99200.0, 0.09852, 0.09810001, -61.167712991999515], [1400, 1418, 97903.0, 0.09920045, 0.09857342, -80.75077328461006], [1436, 1564, 98280.0, 0.098, 0.09336912, -473.9306435136004], [1675, 1705, 98051.0, 0.0934, 0.09565678, 202.74232944422], [1745, 1810, 100273.0, 0.09335001, 0.0919999, -153.96517155543017], [1836, 1857, 100971.0, 0.09118116, 0.09381038, 246.79619183466014], [1877, 1946, 101892.0, 0.09277729, 0.09182926, -115.40660335260026], [1990, 2035, 104803.0, 0.0891, 0.08990231, 65.32451583507005], [2098, 2155, 107847.0, 0.08719011, 0.0856685, -182.7433561826707], [2235, 2242, 103361.0, 0.08920764, 0.09176481, 245.6061549655497], [2289, 2427, 105111.0, 0.09005713, 0.091196, 100.65606682257003], [2456, 2476, 104626.0, 0.09143526, 0.09151997, -10.279005433979824], [2574, 2630, 105828.0, 0.09030001, 0.091325, 89.25163016172036], [2733, 2749, 106462.0, 0.09060014, 0.09144999, 71.09530975993992], [2781, 2843, 107009.0, 0.09079999, 0.09090329, -8.389856589519937], [2880, 2965, 109332.0, 0.08879488, 0.0895, 57.598844019838864], [3303, 3536, 107669.0, 0.09070001, 0.09223311, 145.3711178027195], [3639, 3863, 107177.0, 0.09247197, 0.09134633, -140.3438122190997], [3883, 3934, 107641.0, 0.090771, 0.09045414, -53.61438255474023], [4056, 4142, 107016.0, 0.09080022, 0.0921913, 129.28479677568032], [4209, 4221, 106411.0, 0.09253, 0.09273396, 1.9894643124403224], [4345, 4382, 104919.0, 0.09386519, 0.09443467, 39.99303910865971], [4411, 4437, 105394.0, 0.09382117, 0.09439987, 41.15413951024015], [4446, 4455, 106173.0, 0.09351993, 0.09413167, 45.02673769319995], [4485, 4493, 105980.0, 0.09411501, 0.09478585, 51.075910057200616], [4519, 4662, 105864.0, 0.0947, 0.09519999, 32.82736881863913], [4742, 4810, 105875.0, 0.09499987, 0.09587, 71.91666626374965], [4827, 4951, 106525.0, 0.09509482, 0.0957, 44.14238129949967], [5019, 5088, 105611.0, 0.096335, 0.09690198, 39.471374085219445], [5280, 5338, 98869.0, 0.1033032, 0.104, 48.39605911919975], [5369, 5392, 98597.0, 0.10407842, 0.10530999, 100.78403822923013], [5430, 5472, 99058.0, 0.10461, 0.10495001, 12.922115109420169], [5506, 5562, 99304.0, 0.1044809, 0.10554002, 84.31893504031967], [5612, 5680, 99472.0, 0.10515201, 0.10460699, -75.0793766880007], [5743, 5759, 100797.0, 0.10302485, 0.10440995, 118.7051191644]],
    open_trades: 0,
    equity_final: 10513.772661166806,
    return_pct: 5.137726611668059,
    max_drawdown_pct: -15.852235314699115,
    win_rate_pct: 64.58333333333334,
  },
];

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

for (const c of CASES) {
  describeShared(`rsi_levels = backtesting.py RSI mean reversion on ${c.file} ${JSON.stringify(c.params)}`, c.file, () => {
    const candles: Candles = { symbol: 'X', timeframe: '1d', ...readSharedBars(c.file) };
    const spec: ExecutionSpec = { ...DEFAULT_EXECUTION, profile: 'backtesting.py', cash: c.backtest.cash, commission: c.backtest.commission, finalize_trades: c.backtest.finalize_trades ?? false };
    const def = compiled(configText('rsi_levels.yaml'));
    const r = runBacktest(candles, def, def.params.parse(c.params), spec);

    it('every trade: bars, whole-unit size, prices and P&L', () => {
      expect(r.trades).toHaveLength(c.trades.length);
      r.trades.forEach((t, i) => {
        const [entryBar, exitBar, size, entryPrice, exitPrice, pnl] = c.trades[i];
        expect([t.entry_bar, t.exit_bar, t.size, t.entry_price, t.exit_price], `trade ${i}`).toEqual([entryBar, exitBar, size, entryPrice, exitPrice]);
        expect(close(t.pnl, pnl), `trade ${i} pnl ${t.pnl} vs ${pnl}`).toBe(true);
      });
      expect(r.open_trades).toHaveLength(c.open_trades);
    });

    it('final equity, return, max drawdown and win rate', () => {
      for (const k of ['equity_final', 'return_pct', 'max_drawdown_pct', 'win_rate_pct'] as const) {
        expect(close(r.metrics[k] as number, c[k]), `${k}: ${r.metrics[k]} vs ${c[k]}`).toBe(true);
      }
    });

    it('is the built-in rsi_reversion long_only in the same profile', () => {
      const b = getStrategy('rsi_reversion');
      const rb = runBacktest(candles, b, b.params.parse({ ...c.params, direction: 'long_only' }), spec);
      expect(r.trades).toEqual(rb.trades);
      expect(r.metrics).toEqual(rb.metrics);
    });
  });
}

describeShared('ma_cross = backtesting.py SmaCross(10, 30) on GOOG (EXECUTION.md §5)', 'goog_1d.csv', () => {
  it('every pinned number that follows from the trades and the equity, within 1e-6', () => {
    const candles: Candles = { symbol: 'GOOG', timeframe: '1d', ...readSharedBars('goog_1d.csv') };
    const def = compiled(configText('ma_cross.yaml'));
    const spec: ExecutionSpec = { ...DEFAULT_EXECUTION, profile: 'backtesting.py', cash: 10_000, commission: 0, finalize_trades: true };
    const r = runBacktest(candles, def, def.params.parse({ fast: 10, slow: 30 }), spec);
    for (const [k, want] of Object.entries(REFERENCE_TRADE_METRICS)) {
      expect(Math.abs((r.metrics[k] as number) - want) / Math.abs(want), `${k}: ${r.metrics[k]} vs ${want}`).toBeLessThan(1e-6);
    }
  });
});
