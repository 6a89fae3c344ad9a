import { z } from 'zod';
import { strategyInput, strategyInputName } from '../research/strategies.js';
import { checkBiasOnDataset, MAX_BIAS_PROBES, MAX_BIAS_TOLERANCE, type BiasCheckResult } from '../research/bias.js';
import { resolveChampionParams } from '../research/champions/index.js';
import { resolveDataset } from '../research/datasets.js';
import { brief } from './lines.js';
import { checkBiasOutput } from './outputs/bias.js';
import { datasetFields, paramsField } from './schemas.js';
import { BIAS_DEFAULTS } from '../engine/validation/bias.js';
import { defaultsTo, documented } from '../research/listing.js';
import { defineTool } from './types.js';

type Obj = Record<string, unknown>;

/** "bar 412 (2024-03-02T…): long_entry 1 became 0 with the bars after 412 mirrored" */
function offenseText(f: Obj): string {
  const at = `bar ${String(f.bar)}${f.time ? ` (${String(f.time)})` : ''}`;
  const how = f.run === 'truncated' ? 'removed' : String(f.run).replace('_', ' ');
  const where = f.cut !== undefined ? `with the bars after ${String(f.cut)} ${how}` : `with the data started at bar ${String(f.start)}`;
  return `${at}: ${String(f.rule)} ${brief(f.reference)} became ${brief(f.observed)} ${where}`;
}

/** The key figures of a bias check in words, then one line per finding (shared with the CLI). */
export function biasText(r: BiasCheckResult, label: string): string {
  const la = r.lookahead as Obj;
  const wu = r.warmup as Obj;
  const lines = [
    `check_bias ${r.strategy} ${brief(r.params)} on ${label}, ${r.bars} bars: verdict ${r.verdict}.`,
    `Look-ahead ${String(la.status)}: ${(la.cuts as number[]).length} cuts × 3 runs (prefix, mirrored, random walk), ${String(la.decisions_checked)} decisions at or before the cuts.` +
      (la.first ? ` First change at ${offenseText(la.first as Obj)}.` : ''),
    `Warm-up ${String(wu.status)}: declared ${String(wu.declared)} bars${wu.checked !== wu.declared ? `, checked ${String(wu.checked)}` : ''}, needed ${String(wu.needed)} (${(wu.starts as number[]).length} later starts, ${String(wu.near_ties)} near-ties not compared).` +
      (wu.first ? ` First disagreement at ${offenseText(wu.first as Obj)}.` : ''),
  ];
  for (const f of [...(la.findings as Obj[]), ...(wu.findings as Obj[])].slice(0, 10)) lines.push(`- ${f.cut !== undefined ? 'look-ahead' : 'warm-up'} ${offenseText(f)}`);
  for (const n of r.notes) lines.push(`Note: ${n}.`);
  return lines.join('\n');
}

const probes = (what: string) => z.number().int().min(1).max(MAX_BIAS_PROBES).optional().describe(what);

export const checkBiasTool = defineTool({
  name: 'check_bias',
  title: 'Check bias',
  description:
    'Checks a strategy on a stored dataset for look-ahead and warm-up bias: verdict, first offending bar and rule, warm-up needed. Stores nothing.',
  doc:
    'Look-ahead: at `cuts` seeded bars, the decisions up to the cut are compared with three runs whose later bars are removed, mirrored or replaced by a random walk. ' +
    'Warm-up: runs started `starts` times later must agree with the reference after the declared warm-up (or `warmup`); values within `tolerance` count as equal. ' +
    'The verdict names the first offending bar and rule and the warm-up actually needed. Fix a strategy-language document and re-check with define_strategy dry_run.',
  tier: 'compute',
  inputSchema: {
    strategy: strategyInput,
    params: paramsField,
    dataset_id: datasetFields.dataset_id,
    symbol: datasetFields.symbol,
    timeframe: datasetFields.timeframe,
    from: datasetFields.from,
    to: datasetFields.to,
    cuts: defaultsTo(probes('Look-ahead cuts.'), BIAS_DEFAULTS.cuts),
    starts: defaultsTo(probes('Later starts.'), BIAS_DEFAULTS.starts),
    seed: documented(defaultsTo(z.number().int().min(0).optional(), BIAS_DEFAULTS.seed), 'Seeds the cut points and the random-walk bars; the same seed gives the same check.'),
    tolerance: documented(defaultsTo(z.number().min(0).max(MAX_BIAS_TOLERANCE).optional(), BIAS_DEFAULTS.tolerance), 'Values closer than this count as equal.'),
    warmup: z.number().int().min(0).optional().describe('Bars (default: as declared).'),
  },
  outputSchema: checkBiasOutput,
  annotations: { idempotentHint: true },
  handler(args, ctx) {
    let params: unknown = args.params;
    if (args.params === 'champion') {
      const ds = resolveDataset(ctx.app, args);
      params = resolveChampionParams(ctx.app, strategyInputName(args.strategy), ds.symbol, ds.timeframe).params;
    }
    const r = checkBiasOnDataset(ctx.app, { ...args, params });
    const ds = r.dataset;
    return { text: biasText(r, `${ds.symbol} ${ds.timeframe} (dataset #${ds.id})${ds.synthetic ? ' (synthetic)' : ''}`), data: { ...r } };
  },
});
