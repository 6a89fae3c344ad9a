/** `tradelab import <file.csv> --symbol S --timeframe TF` and `tradelab datasets`. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openApp } from '../research/app.js';
import { openCliApp } from './app.js';
import { importCsvText, resampleDataset } from '../research/datasets.js';
import { UserError } from '../research/errors.js';
import { listDatasets } from '../storage/datasets.js';
import { isoDate } from '../tools/format.js';
import { err, out, parse } from './args.js';

export const IMPORT_HELP = `tradelab import <file.csv> --symbol S --timeframe TF [--json]
  Reads timestamp,open,high,low,close,volume (ISO-8601 or epoch s/ms; aliases date/time/vol).
  A file with any invalid row imports nothing; errors name the line.`;

export async function importCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, { symbol: { type: 'string' }, timeframe: { type: 'string' }, json: { type: 'boolean' } }, 'import', 1);
  if (v.help) return (out(IMPORT_HELP), 0);
  const file = positionals[0];
  if (!file) throw new UserError('import needs a CSV file', { field: '<file.csv>', hint: IMPORT_HELP.split('\n')[0] });
  if (typeof v.symbol !== 'string') throw new UserError('--symbol is required', { field: '--symbol', hint: IMPORT_HELP.split('\n')[0] });
  if (typeof v.timeframe !== 'string') throw new UserError('--timeframe is required', { field: '--timeframe', hint: IMPORT_HELP.split('\n')[0] });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { field: '<file.csv>', value: file });
  }
  const app = openApp();
  try {
    const r = importCsvText(app, text, { symbol: v.symbol, timeframe: v.timeframe, source: `csv:${resolve(file)}` });
    const d = r.dataset;
    if (v.json) {
      out(JSON.stringify({ created: r.created, dataset: d, warnings: r.warnings }));
    } else {
      out(r.created ? `imported ${d.rows} bars as dataset #${d.id} (${d.symbol} ${d.timeframe} v${d.version}, sha256 ${d.content_hash.slice(0, 12)}…)` : `identical content already stored as dataset #${d.id} (${d.symbol} ${d.timeframe} v${d.version}); nothing changed`);
      for (const w of r.warnings) err(`warning: ${w}`);
    }
    return 0;
  } finally {
    app.db.close();
  }
}

export async function datasetsCommand(argv: string[]): Promise<number> {
  const { values: v } = parse(argv, { json: { type: 'boolean' } }, 'datasets');
  if (v.help) return (out('tradelab datasets [--json]   lists the stored datasets'), 0);
  const app = openCliApp();
  try {
    const rows = listDatasets(app.db);
    if (v.json) return (out(JSON.stringify(rows)), 0);
    if (rows.length === 0) out('no datasets (tradelab import <file.csv> --symbol S --timeframe TF, or start the server once to seed the demo data)');
    for (const d of rows) out(`#${d.id} ${d.symbol} ${d.timeframe} v${d.version}: ${d.rows} bars ${isoDate(d.first_time)} … ${isoDate(d.last_time)}${d.is_synthetic ? ' [synthetic]' : ''}`);
    return 0;
  } finally {
    app.db.close();
  }
}

export const RESAMPLE_HELP = `tradelab resample --symbol S --timeframe TF --to COARSER_TF [--dataset-version N] [--json]
  Stores a coarser version of a stored dataset (e.g. 1m → 1h) as the dataset S COARSER_TF:
  open = first, high = max, low = min, close = last, volume = sum; empty buckets are dropped.`;

export async function resampleCommand(argv: string[]): Promise<number> {
  const { values: v } = parse(argv, { symbol: { type: 'string' }, timeframe: { type: 'string' }, to: { type: 'string' }, 'dataset-version': { type: 'string' }, json: { type: 'boolean' } }, 'resample');
  if (v.help) return (out(RESAMPLE_HELP), 0);
  if (typeof v.to !== 'string') throw new UserError('--to is required', { field: '--to', hint: RESAMPLE_HELP.split('\n')[0] });
  const app = openCliApp();
  try {
    const version = typeof v['dataset-version'] === 'string' ? Number(v['dataset-version']) : undefined;
    const r = resampleDataset(app, { symbol: v.symbol as string | undefined, timeframe: v.timeframe as string | undefined, version }, v.to);
    const d = r.dataset;
    if (v.json) out(JSON.stringify({ created: r.created, dataset: d }));
    else out(r.created ? `stored ${d.rows} ${d.timeframe} bars as dataset #${d.id} (${d.symbol} ${d.timeframe} v${d.version}; ${d.source})` : `identical content already stored as dataset #${d.id}; nothing changed`);
    return 0;
  } finally {
    app.db.close();
  }
}
