/**
 * Resolving a promotion candidate from a stored run: a backtest run, a walk-forward run
 * (its final params), or one trial of an optimize run (which must be a passed trial of the
 * run's `validated` block when the run has one). Errors name the run, the trial and what
 * would be accepted.
 */
import { getDataset, type DatasetRow } from '../../storage/datasets.js';
import { entriesBySource } from '../../storage/ledger.js';
import { loadBacktestResult } from '../../storage/run-results.js';
import { requireRun, type RunRow } from '../runs.js';
import type { App } from '../app.js';
import { datasetCandles, selectRange } from '../datasets.js';
import { UserError } from '../errors.js';
import { resolveExecution } from '../execution.js';
import { trialSourceId } from '../ledger.js';
import { resolveParams } from '../strategy-params.js';
import { recordedStrategy } from '../strategies.js';
import { headline, num, obj, str, timeMs, type Obj } from './loose.js';
import type { BarSpan, Candidate, CandidateRef, ValidatedTrial } from './types.js';

export function loadRun(app: App, runId: string, field: string): RunRow {
  const run = requireRun(app, runId, field);
  if (run.status !== 'succeeded') {
    throw new UserError(`run ${run.id} is ${run.status}, not succeeded`, { field, value: runId, expected: 'a finished (succeeded) run', hint: run.status === 'running' || run.status === 'queued' ? 'wait for it with get_run' : undefined });
  }
  return run;
}

function datasetOf(app: App, run: RunRow, id: number | undefined): DatasetRow {
  const dsId = id ?? run.dataset_id ?? undefined;
  const ds = dsId === undefined ? undefined : getDataset(app.db, dsId);
  if (!ds) throw new UserError(`run ${run.id} names no stored dataset (dataset_id ${dsId ?? 'missing'})`, { field: 'candidate.run_id', value: run.id });
  return ds;
}

/** First and last bar of a dataset within a [from, to) range. */
export function barSpan(app: App, ds: DatasetRow, range: { from: number | null; to: number | null }): BarSpan {
  const c = selectRange(datasetCandles(app, ds), range, ds);
  return { first: c.time[0], last: c.time[c.time.length - 1] };
}

export function rangeOf(v: unknown): { from: number | null; to: number | null } {
  const o = obj(v) ?? {};
  return { from: timeMs(o.from) ?? null, to: timeMs(o.to) ?? null };
}

export function resolveCandidate(app: App, ref: CandidateRef): Candidate {
  const run = loadRun(app, ref.run_id, 'candidate.run_id');
  if (run.kind === 'optimize') return optimizeTrial(app, run, ref);
  if (ref.trial !== undefined) {
    throw new UserError(`candidate.trial is only for optimize runs; ${run.id} is a ${run.kind} run`, { field: 'candidate.trial', value: ref.trial, hint: 'omit trial' });
  }
  if (run.kind === 'backtest') return backtestCandidate(app, run, ref);
  if (run.kind === 'walk_forward') return walkForwardCandidate(app, run, ref);
  throw new UserError(`a ${run.kind} run cannot be promoted`, { field: 'candidate.run_id', value: run.id, expected: 'a backtest run, a walk_forward run, or an optimize run with a trial number' });
}

function backtestCandidate(app: App, run: RunRow, ref: CandidateRef): Candidate {
  const spec = run.spec;
  const strategy = recordedStrategy(spec, run.strategy, app.db, 'candidate.run_id');
  const dataset = datasetOf(app, run, num(spec.dataset_id));
  const range = rangeOf(spec.range);
  const stored = loadBacktestResult(app.db, run.id);
  return {
    ref,
    kind: 'backtest',
    run,
    strategy,
    params: resolveParams(strategy, spec.params, 'candidate params'),
    key: { strategy: strategy.name, symbol: dataset.symbol, timeframe: dataset.timeframe },
    dataset,
    range,
    execution: resolveExecution(spec.execution, 'candidate execution'),
    inSample: barSpan(app, dataset, range),
    metrics: headline(stored?.metrics ?? run.summary),
    validated: null,
  };
}

function walkForwardCandidate(app: App, run: RunRow, ref: CandidateRef): Candidate {
  const s = run.summary ?? {};
  const strategy = recordedStrategy({ ...run.spec, ...s, strategy: str(s.strategy) ?? run.strategy ?? str(run.spec.strategy) }, run.strategy, app.db, 'candidate.run_id');
  if (obj(s.final_params) === undefined) {
    throw new UserError(`walk-forward run ${run.id} has no final_params to promote`, { field: 'candidate.run_id', value: run.id });
  }
  const dataset = datasetOf(app, run, num(s.dataset_id) ?? num(run.spec.dataset_id));
  const stored = loadBacktestResult(app.db, run.id);
  const oos = obj(s.oos) ?? {};
  const t = stored?.equity_time;
  const first = t && t.length ? t[0] : timeMs(oos.from);
  const last = t && t.length ? t[t.length - 1] : timeMs(oos.to);
  if (first === undefined || last === undefined) {
    throw new UserError(`walk-forward run ${run.id} has no out-of-sample span (no stored OOS equity, no summary.oos.from/to)`, { field: 'candidate.run_id', value: run.id });
  }
  return {
    ref,
    kind: 'walk_forward',
    run,
    strategy,
    params: resolveParams(strategy, s.final_params, 'candidate params'),
    key: { strategy: strategy.name, symbol: dataset.symbol, timeframe: dataset.timeframe },
    dataset,
    range: { from: timeMs(run.spec.from) ?? null, to: timeMs(run.spec.to) ?? null },
    execution: resolveExecution(run.spec.execution, 'candidate execution'),
    // the final params were chosen before the last OOS window; evidence after the OOS end is unseen
    inSample: { first, last },
    metrics: headline(oos),
    validated: null,
  };
}

function validatedList(s: Obj): ValidatedTrial[] | null {
  if (!Array.isArray(s.validated)) return null;
  const out: ValidatedTrial[] = [];
  for (const v of s.validated) {
    const o = obj(v);
    const n = num(o?.number);
    if (!o || n === undefined) continue;
    out.push({ number: n, params: obj(o.params) ?? {}, passed: o.passed === true, holdout_run_id: str(o.holdout_run_id) ?? null, metrics: obj(o.metrics) ?? {} });
  }
  return out;
}

function optimizeTrial(app: App, run: RunRow, ref: CandidateRef): Candidate {
  const s = run.summary ?? {};
  const validated = validatedList(s);
  const passedNumbers = validated?.filter((v) => v.passed).map((v) => v.number) ?? [];
  const best = obj(s.best);
  if (ref.trial === undefined) {
    throw new UserError(`optimize run ${run.id} needs a trial number (${validated ? `validated trials that passed: ${passedNumbers.join(', ') || 'none'}` : `best: ${num(best?.number) ?? 'none'}`})`, {
      field: 'candidate.trial',
      expected: validated ? `a validated trial that passed: ${passedNumbers.join(', ') || 'none passed'}` : `a trial number (best: ${num(best?.number) ?? 'none'})`,
    });
  }
  const trial = ref.trial;
  let entry: ValidatedTrial | null = null;
  if (validated) {
    entry = validated.find((v) => v.number === trial) ?? null;
    if (!entry || !entry.passed) {
      throw new UserError(
        `trial ${trial} of ${run.id} is not a promotion candidate: ${entry ? 'it failed validation on the holdout' : 'it was not among the validated top trials'}; ` +
          (passedNumbers.length ? `validated trials that passed: ${passedNumbers.join(', ')}` : `no validated trial passed (validated: ${validated.map((v) => v.number).join(', ')})`),
        {
          field: 'candidate.trial',
          value: trial,
          expected: passedNumbers.length ? `one of the validated trials that passed: ${passedNumbers.join(', ')}` : 'a passed validated trial (none passed; validated: ' + validated.map((v) => v.number).join(', ') + ')',
          hint: 'only trials that passed the holdout validation of optimize(validate: {top_k, holdout}) can be promoted',
        },
      );
    }
  }
  const strategy = recordedStrategy({ ...run.spec, ...s, strategy: str(s.strategy) ?? run.strategy ?? str(run.spec.strategy) }, run.strategy, app.db, 'candidate.run_id');
  const dataset = datasetOf(app, run, num(s.dataset_id) ?? num(run.spec.dataset_id));
  // full params: the validated entry, else the ledger (defaults and fixed params merged), else summary.best
  const ledger = [...entriesBySource(app.db, 'trial', trialSourceId(run.id, trial)), ...entriesBySource(app.db, 'trial', trialSourceId(run.id, trial, 'fine'))];
  const bestParams = best && num(best.number) === trial ? obj(best.params) : undefined;
  const raw = entry?.params ?? ledger[0]?.params ?? bestParams;
  if (raw === undefined) {
    throw new UserError(`optimize run ${run.id} has no record of trial ${trial}`, { field: 'candidate.trial', value: trial, expected: `a trial of this run (best: ${num(best?.number) ?? 'none'})` });
  }
  const range = { from: timeMs(run.spec.from) ?? null, to: timeMs(run.spec.to) ?? null };
  const sr = obj(s.range);
  const first = timeMs(sr?.from);
  const last = timeMs(sr?.to);
  const inSample = first !== undefined && last !== undefined ? { first, last } : barSpan(app, dataset, range);
  const metrics = bestParams ? headline(best?.full_metrics ?? best?.metrics) : ledger[0] ? { sharpe_per_period: ledger[0].sharpe } : {};
  return {
    ref,
    kind: 'optimize_trial',
    run,
    strategy,
    params: resolveParams(strategy, raw, 'candidate params'),
    key: { strategy: strategy.name, symbol: dataset.symbol, timeframe: dataset.timeframe },
    dataset,
    range,
    execution: resolveExecution(run.spec.execution, 'candidate execution'),
    inSample,
    metrics,
    validated: entry,
  };
}
