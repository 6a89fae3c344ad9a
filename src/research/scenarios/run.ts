/**
 * Running a scenario file: each scenario is built (from studies, champions, earlier runs or
 * earlier scenarios of the file) and executed as one batch run through the batch
 * machinery, one after another. A scenario that cannot be built is reported with its
 * error; the others still run.
 */
import type { Evaluator } from '../../engine/parallel/pool.js';
import type { RunProgress, RunStatus } from '../../storage/runs.js';
import type { App } from '../app.js';
import { readItems } from '../batch/item-rows.js';
import { startBatch } from '../batch/job.js';
import type { BatchSpecInput } from '../batch/spec.js';
import { rankItems } from '../batch/rank.js';
import { UserError } from '../errors.js';
import type { JobRunner } from '../jobs.js';
import { batchOf, sharedKeys, type BuiltScenario, type EarlierScenario, type ScenarioContext } from './context.js';
import { buildEnsemble } from './ensemble.js';
import { buildByRegime } from './by-regime.js';
import { buildFromStudy } from './from-study.js';
import type { LoadedScenarios } from './load.js';
import { buildPerturb } from './perturb.js';
import { kindOf, type ScenarioKind } from './schema.js';

export interface ScenarioOutcome {
  readonly name: string;
  readonly kind: ScenarioKind;
  readonly run_id: string | null;
  readonly status: RunStatus | 'not_built';
  readonly info: Record<string, unknown> | null;
  readonly summary: Record<string, unknown> | null;
  readonly error: string | null;
}

export interface RunScenariosOptions {
  /** Run only these scenarios (by name); the others are skipped. */
  readonly only?: readonly string[];
  readonly clientId?: string;
  readonly evaluator?: Evaluator;
  readonly onProgress?: (scenario: string, p: RunProgress) => void;
  /** Called with each batch run id as it starts (e.g. to cancel it on Ctrl-C). */
  readonly onStart?: (scenario: string, runId: string) => void;
  readonly signal?: AbortSignal;
}

async function build(ctx: ScenarioContext, kind: ScenarioKind): Promise<BuiltScenario> {
  const s = ctx.scenario;
  switch (kind) {
    case 'from_study':
      return buildFromStudy(ctx, s.from_study!);
    case 'perturb':
      return buildPerturb(ctx, s.perturb!);
    case 'ensemble':
      return buildEnsemble(ctx, s.ensemble!);
    case 'by_regime':
      return buildByRegime(ctx, s.by_regime!);
    case 'batch':
      return { items: [], info: {} };
  }
}

const FOREVER_MS = 2_000_000_000;

/** A `batch` scenario: its own keys, then the scenario's shared keys. */
function plainBatch(ctx: ScenarioContext): BatchSpecInput {
  const b = ctx.scenario.batch as BatchSpecInput;
  const s = ctx.shared;
  const merged: BatchSpecInput = { from: s.from, to: s.to, execution: s.execution, metrics: s.metrics, rank_by: s.rank_by, rank_order: s.rank_order, top: s.top, concurrency: s.concurrency, ...b };
  const clean = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as BatchSpecInput;
  return { ...clean, label: b.label ?? ctx.scenario.name };
}

export async function runScenarios(app: App, jobs: JobRunner, loaded: LoadedScenarios, opts: RunScenariosOptions = {}): Promise<ScenarioOutcome[]> {
  const { file, spec } = loaded;
  const names = spec.scenarios.map((s) => s.name);
  for (const n of opts.only ?? []) {
    if (!names.includes(n)) throw new UserError(`${file} has no scenario ${JSON.stringify(n)}`, { field: '--only', value: n, expected: `one of ${names.join(', ')}` });
  }
  const earlier = new Map<string, EarlierScenario>();
  const out: ScenarioOutcome[] = [];
  for (const s of spec.scenarios) {
    if (opts.only && !opts.only.includes(s.name)) continue;
    const kind = kindOf(s)[0];
    if (opts.signal?.aborted) {
      out.push({ name: s.name, kind, run_id: null, status: 'cancelled', info: null, summary: null, error: 'cancelled before it started' });
      continue;
    }
    const ctx: ScenarioContext = { app, file, scenario: s, shared: sharedKeys(spec, s), earlier };
    let built: BuiltScenario;
    let started;
    try {
      built = await build(ctx, kind);
      const batch = kind === 'batch' ? plainBatch(ctx) : batchOf(ctx, built);
      started = startBatch(app, jobs, opts.clientId ?? 'cli', batch, {
        evaluator: opts.evaluator,
        specExtra: { scenario: { file, name: s.name, kind, ...(s.description ? { description: s.description } : {}), info: built.info } },
        extend: built.report ? (results) => (built.report as NonNullable<BuiltScenario['report']>)(results) : undefined,
      });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      const msg = e.describe();
      out.push({ name: s.name, kind, run_id: null, status: 'not_built', info: null, summary: null, error: msg.includes(`scenario ${JSON.stringify(s.name)}`) ? msg : `scenario ${JSON.stringify(s.name)}: ${msg}` });
      continue;
    }
    const runId = started.run.id;
    opts.onStart?.(s.name, runId);
    const onAbort = (): void => void jobs.cancel(runId);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const w = await jobs.wait(runId, FOREVER_MS, undefined, opts.onProgress ? (p) => opts.onProgress?.(s.name, p) : undefined);
    opts.signal?.removeEventListener('abort', onAbort);
    const run = w.run;
    earlier.set(s.name, { name: s.name, run_id: runId, ranked: rankItems(readItems(app, runId), started.plan.rank_by, started.plan.rank_order) });
    out.push({ name: s.name, kind, run_id: runId, status: run.status, info: built.info, summary: run.summary, error: run.error });
  }
  return out;
}
