/**
 * Out-of-sample evidence for a candidate: a walk-forward run of the same strategy, symbol and
 * timeframe whose final params are the candidate's, or a holdout backtest with the
 * candidate's params on bars after its in-sample range. Given explicitly (evidence_run_id,
 * checked strictly) or found: the candidate itself (walk-forward), the optimize run's
 * validated holdout run, else the newest matching run in the store.
 */
import { definitionRef } from '../strategies.js';
import { getDataset, type DatasetRow } from '../../storage/datasets.js';
import { loadRunResult } from '../run-result.js';
import { listRuns, type RunRow } from '../../storage/runs.js';
import type { App } from '../app.js';
import { datasetCandles, selectRange } from '../datasets.js';
import { UserError } from '../errors.js';
import { resolveExecution } from '../execution.js';
import { resolveParams } from '../strategy-params.js';
import { loadRun, rangeOf } from './candidate.js';
import { headline, iso, num, obj, sameParams, str } from './loose.js';
import type { Candidate, Evidence } from './types.js';

type Found = Evidence['found'];

export interface EvidenceLookup {
  readonly evidence: Evidence | null;
  /** What was searched, or why a found run did not qualify. */
  readonly notes: string[];
}

const SEARCH_LIMIT = 500;

export function resolveEvidence(app: App, c: Candidate, evidenceRunId?: string): EvidenceLookup {
  if (evidenceRunId !== undefined) {
    const run = loadRun(app, evidenceRunId, 'evidence_run_id');
    const ev = checkEvidence(app, c, run, 'given');
    if (typeof ev === 'string') throw new UserError(`run ${run.id} is not out-of-sample evidence for this candidate: ${ev}`, { field: 'evidence_run_id', value: evidenceRunId, expected: expectation(c) });
    return { evidence: ev, notes: [] };
  }
  const notes: string[] = [];
  if (c.kind === 'walk_forward') {
    const ev = checkEvidence(app, c, c.run, 'candidate');
    if (typeof ev !== 'string') return { evidence: ev, notes };
    notes.push(`walk-forward run ${c.run.id} itself: ${ev}`);
  }
  if (c.validated?.holdout_run_id) {
    const run = tryLoadRun(app, c.validated.holdout_run_id);
    const ev = run ? checkEvidence(app, c, run, 'validated_holdout') : 'the run no longer exists';
    if (typeof ev !== 'string') return { evidence: ev, notes };
    notes.push(`validated holdout run ${c.validated.holdout_run_id}: ${ev}`);
  }
  for (const kind of ['walk_forward', 'backtest'] as const) {
    const { runs } = listRuns(app.db, { kind, status: 'succeeded', strategy: c.key.strategy, limit: SEARCH_LIMIT, offset: 0 });
    for (const run of runs) {
      if (run.id === c.run.id) continue;
      const ev = checkEvidence(app, c, run, 'search');
      if (typeof ev !== 'string') return { evidence: ev, notes };
    }
  }
  notes.push(`searched the newest ${SEARCH_LIMIT} walk-forward and backtest runs of ${c.key.strategy}: none has these params on ${c.key.symbol} ${c.key.timeframe} after ${iso(c.inSample.last)}`);
  return { evidence: null, notes };
}

function tryLoadRun(app: App, id: string): RunRow | undefined {
  try {
    return loadRun(app, id, 'evidence_run_id');
  } catch {
    return undefined;
  }
}

export function expectation(c: Candidate): string {
  return `a succeeded walk_forward run of ${c.key.strategy} on ${c.key.symbol} ${c.key.timeframe} whose final_params are the candidate's, or a backtest with the candidate's params on bars after ${iso(c.inSample.last)}`;
}

function sameMarket(c: Candidate, ds: DatasetRow): string | null {
  return ds.symbol === c.key.symbol && ds.timeframe === c.key.timeframe ? null : `it is on ${ds.symbol} ${ds.timeframe}, the candidate on ${c.key.symbol} ${c.key.timeframe}`;
}

/** Why a run of a language strategy is another definition than the candidate's (null: the same). */
function otherDefinition(c: Candidate, recorded: unknown): string | null {
  const want = definitionRef(c.strategy)?.hash ?? null;
  const got = (recorded as { hash?: unknown } | undefined)?.hash;
  const have = typeof got === 'string' ? got : null;
  return want === have ? null : `it ran definition ${have ? have.slice(0, 12) : '(built-in)'}, the candidate is definition ${want ? want.slice(0, 12) : '(built-in)'}`;
}

function paramsMatch(c: Candidate, raw: unknown): boolean {
  try {
    return sameParams(resolveParams(c.strategy, raw), c.params);
  } catch {
    return false;
  }
}

/** The evidence, or a sentence saying why the run does not qualify. */
export function checkEvidence(app: App, c: Candidate, run: RunRow, found: Found): Evidence | string {
  if (run.kind === 'walk_forward') return walkForwardEvidence(app, c, run, found);
  if (run.kind === 'backtest') return holdoutEvidence(app, c, run, found);
  return `a ${run.kind} run is neither a walk-forward nor a holdout backtest`;
}

function walkForwardEvidence(app: App, c: Candidate, run: RunRow, found: Found): Evidence | string {
  const s = run.summary ?? {};
  if ((str(s.strategy) ?? run.strategy) !== c.key.strategy) return `it tests strategy ${str(s.strategy) ?? run.strategy}, not ${c.key.strategy}`;
  const ds = getDataset(app.db, num(s.dataset_id) ?? run.dataset_id ?? -1);
  if (!ds) return 'its dataset is not stored';
  const market = sameMarket(c, ds);
  if (market) return market;
  const wfDef = otherDefinition(c, s.strategy_definition);
  if (wfDef) return wfDef;
  if (!paramsMatch(c, s.final_params)) return "its final_params are not the candidate's params";
  const r = loadRunResult(app, run.id);
  const t = r?.equity_time;
  if (!r || !t || t.length !== r.equity.length || t.length < 2) return 'it has no stored out-of-sample equity (with bar times)';
  const oos = obj(s.oos) ?? {};
  return {
    label: 'out_of_sample',
    run_id: run.id,
    run,
    kind: 'walk_forward',
    found,
    dataset: ds,
    execution: resolveExecution(run.spec.execution, 'walk-forward execution'),
    time: t,
    equity: r.equity,
    trades: r.trades.length,
    span: { first: t[0], last: t[t.length - 1] },
    warm_context: true,
    metrics: { ...headline(r.metrics), ...headline(oos) },
  };
}

function holdoutEvidence(app: App, c: Candidate, run: RunRow, found: Found): Evidence | string {
  const spec = run.spec;
  if ((str(spec.strategy) ?? run.strategy) !== c.key.strategy) return `it runs strategy ${str(spec.strategy) ?? run.strategy}, not ${c.key.strategy}`;
  const ds = getDataset(app.db, num(spec.dataset_id) ?? run.dataset_id ?? -1);
  if (!ds) return 'its dataset is not stored';
  const market = sameMarket(c, ds);
  if (market) return market;
  const btDef = otherDefinition(c, spec.strategy_definition);
  if (btDef) return btDef;
  if (!paramsMatch(c, spec.params)) return "its params are not the candidate's params";
  let candles;
  try {
    candles = selectRange(datasetCandles(app, ds), rangeOf(spec.range), ds);
  } catch {
    return 'its date range holds no bars';
  }
  const first = candles.time[0];
  const last = candles.time[candles.time.length - 1];
  if (!(first > c.inSample.last)) {
    return `it starts at ${iso(first)}, not after the candidate's in-sample range (last bar ${iso(c.inSample.last)})`;
  }
  let r;
  try {
    r = loadRunResult(app, run.id);
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  if (!r) return 'it has no stored result';
  if (r.equity.length !== candles.time.length) return `its stored equity has ${r.equity.length} points for ${candles.time.length} bars`;
  return {
    label: 'out_of_sample',
    run_id: run.id,
    run,
    kind: 'holdout_backtest',
    found,
    dataset: ds,
    execution: resolveExecution(spec.execution, 'holdout execution'),
    time: r.equity_time ?? candles.time,
    equity: r.equity,
    trades: r.trades.length,
    span: { first, last },
    warm_context: false,
    metrics: headline(r.metrics),
  };
}
