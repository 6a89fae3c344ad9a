/** `tradelab check-bias`: the look-ahead and warm-up checks of check_bias from the terminal. */
import { join } from 'node:path';
import { checkBias, checkBiasOnDataset, type BiasCheckResult } from '../research/bias.js';
import { loadConfigFile } from '../research/config.js';
import { UserError } from '../research/errors.js';
import { biasText } from '../tools/check-bias.js';
import { cliStrategy, openCliApp } from './app.js';
import { jsonFlag, numberFlag, out, parse } from './args.js';
import { readCsvCandles, STRATEGY_DATA_FLAGS } from './csv-candles.js';

export const CHECK_BIAS_HELP = `tradelab check-bias --strategy NAME [--params JSON] (--csv FILE | --symbol S --timeframe TF) [options]

Data:    --csv FILE (not stored) | --symbol S --timeframe TF [--dataset-version N] (from the store)
         --from DATE (inclusive) --to DATE (exclusive)
Checks:  --cuts N (look-ahead cut points, default 8) --starts N (later starts, default 6)
         --seed N (default 1) --tolerance F (default 1e-9) --warmup N (check N bars instead of the declared warm-up)
Output:  --json  prints the whole report as JSON
Exit:    0 ok, 1 bias found (lookahead and/or warmup_unstable), 2 bad input, 3 inconclusive (too few bars)`;

const OPTIONS = {
  ...STRATEGY_DATA_FLAGS,
  cuts: { type: 'string' },
  starts: { type: 'string' },
  seed: { type: 'string' },
  tolerance: { type: 'string' },
  warmup: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const EXIT: Record<BiasCheckResult['verdict'], number> = { ok: 0, lookahead: 1, warmup_unstable: 1, lookahead_and_warmup_unstable: 1, inconclusive: 3 };

export async function checkBiasCommand(argv: string[]): Promise<number> {
  const { values: v } = parse(argv, OPTIONS, 'check-bias');
  if (v.help) return (out(CHECK_BIAS_HELP), 0);
  if (typeof v.strategy !== 'string') throw new UserError('--strategy is required', { field: '--strategy', hint: CHECK_BIAS_HELP.split('\n')[0] });
  const str = (k: keyof typeof OPTIONS): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const options = {
    cuts: numberFlag(v.cuts, 'cuts'),
    starts: numberFlag(v.starts, 'starts'),
    seed: numberFlag(v.seed, 'seed'),
    tolerance: numberFlag(v.tolerance, 'tolerance'),
    warmup: numberFlag(v.warmup, 'warmup'),
  };
  const params = jsonFlag(v.params, 'params');
  let result: BiasCheckResult;
  let label: string;
  if (typeof v.csv === 'string') {
    if (v['dataset-version'] !== undefined) throw new UserError('--dataset-version needs a stored dataset (--symbol/--timeframe), not --csv', { field: '--dataset-version' });
    const strategy = cliStrategy(v.strategy);
    const candles = readCsvCandles(v.csv, { symbol: str('symbol'), timeframe: str('timeframe'), from: str('from'), to: str('to') });
    result = checkBias({ config: loadConfigFile(join(process.cwd(), 'config', 'server.yaml')) }, { ...options, strategy, params, candles });
    label = `${v.csv} (${candles.timeframe}, not stored)`;
  } else {
    const app = openCliApp();
    try {
      const r = checkBiasOnDataset(app, { ...options, strategy: v.strategy, params, symbol: str('symbol'), timeframe: str('timeframe'), version: numberFlag(v['dataset-version'], 'dataset-version'), from: str('from'), to: str('to') });
      result = r;
      label = `${r.dataset.symbol} ${r.dataset.timeframe} (dataset #${r.dataset.id})${r.dataset.synthetic ? ' (synthetic)' : ''}`;
    } finally {
      app.db.close();
    }
  }
  out(v.json ? JSON.stringify(result) : biasText(result, label));
  return EXIT[result.verdict];
}
