import { z } from 'zod';
import { strategyInput, strategyInputName } from '../research/strategies.js';
import { checkBiasOnDataset, MAX_BIAS_PROBES, MAX_BIAS_TOLERANCE, type BiasCheckResult } from '../research/bias.js';
import { resolveChampionParams } from '../research/champions/index.js';
import { resolveDataset } from '../research/datasets.js';
import { brief } from './lines.js';
import { checkBiasOutput } from './outputs/bias.js';
import { datasetFields } from './schemas.js';
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
  title: 'Check for look-ahead and warm-up bias',
  description:
    'Look-ahead: decisions up to seeded cuts must not change when later bars are cut, mirrored or random. ' +
    'Warm-up: later starts must agree after warm-up. Gives verdict, first offending bar/rule, warm-up needed.',
  tier: 'compute',
  inputSchema: {
    strategy: strategyInput,
    params: z.union([z.record(z.string(), z.unknown()), z.literal('champion')]).optional(),
    dataset_id: datasetFields.dataset_id.describe('Or symbol + timeframe.'),
    symbol: z.string().min(1).max(64).optional(),
    timeframe: z.string().min(1).max(8).optional(),
    from: datasetFields.from.describe('Inclusive date.'),
    to: datasetFields.to.describe('Exclusive date.'),
    cuts: probes('Default 8.'),
    starts: probes('Later starts, default 6.'),
    seed: z.number().int().min(0).optional(),
    tolerance: z.number().min(0).max(MAX_BIAS_TOLERANCE).optional().describe('Default 1e-9.'),
    warmup: z.number().int().min(0).optional().describe('Instead of the declared warm-up.'),
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
