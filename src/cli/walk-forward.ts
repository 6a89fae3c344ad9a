/** `tradelab walk-forward`: walk-forward validation from flags or a YAML/JSON request file. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { createRun, updateRun } from '../storage/runs.js';
import { UserError } from '../research/errors.js';
import { closeEvaluators } from '../research/evaluator.js';
import { parseWalkForward } from '../research/walk-forward/index.js';
import { prepareWalkForward, runWalkForward } from '../research/walk-forward/run.js';
import { num } from '../tools/format.js';
import { openCliApp } from './app.js';
import { jsonFlag, numberFlag, out, parse } from './args.js';
import { ProgressBar } from './progress.js';

export const WALK_FORWARD_HELP = `tradelab walk-forward (--file REQUEST.yaml | --strategy S --symbol SYM --timeframe TF --is LEN --oos LEN) [options]
  LEN: bars (e.g. 2000) or a calendar span (180d, 12w, 6M).
  Options: --mode rolling|anchored --step LEN --purge N --embargo N --allow-overlap --n-trials N --seed N
           --sampler tpe|random|grid --objective METRIC --from DATE --to DATE --params JSON|champion --json`;

const len = (v: string | boolean | undefined): string | number | undefined => (typeof v === 'string' ? (/^\d+$/.test(v) ? Number(v) : v) : undefined);

export async function walkForwardCommand(argv: string[]): Promise<number> {
  const { values: v } = parse(
    argv,
    {
      file: { type: 'string' },
      strategy: { type: 'string' },
      symbol: { type: 'string' },
      timeframe: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      is: { type: 'string' },
      oos: { type: 'string' },
      step: { type: 'string' },
      mode: { type: 'string' },
      purge: { type: 'string' },
      embargo: { type: 'string' },
      'allow-overlap': { type: 'boolean' },
      'n-trials': { type: 'string' },
      seed: { type: 'string' },
      sampler: { type: 'string' },
      objective: { type: 'string' },
      params: { type: 'string' },
      json: { type: 'boolean' },
    },
    'walk-forward',
  );
  if (v.help) return (out(WALK_FORWARD_HELP), 0);
  let raw: Record<string, unknown>;
  if (typeof v.file === 'string') {
    try {
      raw = parseYaml(readFileSync(v.file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new UserError(`cannot read ${v.file}: ${(e as Error).message}`, { field: '--file', value: v.file });
    }
  } else {
    raw = {
      strategy: v.strategy,
      symbol: v.symbol,
      timeframe: v.timeframe,
      from: v.from,
      to: v.to,
      is: len(v.is),
      oos: len(v.oos),
      step: len(v.step),
      mode: v.mode,
      purge: numberFlag(v.purge, 'purge'),
      embargo: numberFlag(v.embargo, 'embargo'),
      allow_overlap: v['allow-overlap'] ? true : undefined,
      n_trials: numberFlag(v['n-trials'], 'n-trials'),
      seed: numberFlag(v.seed, 'seed'),
      sampler: v.sampler,
      objective: v.objective,
      params: v.params === 'champion' ? 'champion' : jsonFlag(v.params, 'params'),
    };
    for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  }
  const req = parseWalkForward(raw, typeof v.file === 'string' ? v.file : 'flags');
  const app = openCliApp();
  const controller = new AbortController();
  const onSig = (): void => controller.abort();
  process.once('SIGINT', onSig);
  try {
    const prep = prepareWalkForward(app, req);
    const run = createRun(app.db, { kind: 'walk_forward', status: 'running', spec: raw, strategy: prep.base.strategy.name, dataset_id: prep.base.dataset.id, now: app.now() });
    const bar = v.json ? null : new ProgressBar('walk-forward');
    try {
      const summary = await runWalkForward(app, req, prep, { run_id: run.id, signal: controller.signal, onWindow: (d, t, m) => bar?.update(d, t, m) });
      updateRun(app.db, run.id, { status: controller.signal.aborted ? 'cancelled' : 'succeeded', summary, finished_at: app.now() });
      if (v.json) return (out(JSON.stringify({ run_id: run.id, ...summary })), 0);
      const oos = summary.oos as { return_pct: number; sharpe: number | null; trades: number; psr: number | null; dsr: number | null; dsr_n: number | null } | null;
      out(`walk-forward ${run.id}: ${String(summary.windows)} windows, ${String(summary.params_source)}`);
      const stopped = summary.stopped as { reason: string; detail: string };
      if (stopped.reason !== 'windows') out(`  stopped by ${stopped.reason}: ${stopped.detail}`);
      if (oos) out(`  stitched OOS: return ${num(oos.return_pct)} %, Sharpe ${num(oos.sharpe)}, trades ${oos.trades}, PSR ${num(oos.psr, 3)}, DSR ${num(oos.dsr, 3)} (N = ${oos.dsr_n ?? 'n/a'} OOS evaluations on these bars)`);
      out(`  WFE ${summary.wfe === null ? 'n/a' : num(summary.wfe, 3)}; final params ${JSON.stringify(summary.final_params)}`);
      return 0;
    } catch (e) {
      updateRun(app.db, run.id, { status: 'failed', error: (e as Error).message, finished_at: app.now() });
      throw e;
    }
  } finally {
    process.off('SIGINT', onSig);
    await closeEvaluators(app);
    app.db.close();
  }
}
