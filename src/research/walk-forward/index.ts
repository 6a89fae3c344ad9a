/** walk_forward as a server job: validate + split first, then run window by window. */
import type { RunRow } from '../../storage/runs.js';
import { loadBacktestDetails } from '../../storage/run-results.js';
import { loadRunEquity } from '../run-result.js';
import type { App } from '../app.js';
import { UserError } from '../errors.js';
import { parseStrict } from '../strict-input.js';
import type { JobRunner } from '../jobs.js';
import { pageOf, registerSection } from '../run-sections.js';
import { walkForwardSchema, type WalkForwardRequest } from './job.js';
import { prepareWalkForward, runWalkForward } from './run.js';

export function parseWalkForward(input: unknown, field = 'request'): WalkForwardRequest {
  return parseStrict(walkForwardSchema, input, { source: `invalid ${field}` });
}

export function startWalkForward(app: App, jobs: JobRunner, clientId: string, req: WalkForwardRequest): RunRow {
  const prep = prepareWalkForward(app, req);
  const { wait_seconds: _w, ...spec } = req;
  void _w;
  return jobs.start(
    'walk_forward',
    clientId,
    { ...spec, windows: prep.windows.length } as Record<string, unknown>,
    (ctx) => {
      // the server's wall-time limit per job, from when the job starts running
      const seconds = app.config.limits.max_wall_seconds;
      return runWalkForward(app, req, prep, { run_id: ctx.run_id, signal: ctx.signal, onWindow: (d, t, m) => ctx.progress(d, t, m), wall: { deadline: app.now() + seconds * 1000, seconds } });
    },
    { strategy: prep.base.strategy.name, dataset_id: prep.base.dataset.id },
  );
}

registerSection('walk_forward', 'windows', (_app, run, offset, limit) => pageOf((run.summary?.per_window ?? []) as unknown[], offset, limit));

registerSection('walk_forward', 'oos_equity', (app: App, run: RunRow, offset, limit) => {
  const r = loadRunEquity(app, run.id);
  if (!r || !r.equity_time) throw new UserError(`walk-forward run ${run.id} has no stitched equity (no window finished)`, { field: 'run_id', value: run.id });
  const items: { time: string; equity: number }[] = [];
  const end = Math.min(r.equity.length, offset + limit);
  for (let i = offset; i < end; i++) items.push({ time: new Date(r.equity_time[i]).toISOString(), equity: r.equity[i] });
  return { items, total: r.equity.length, next_cursor: end < r.equity.length ? String(end) : null, remaining: r.equity.length - end };
});

registerSection('walk_forward', 'trades', (app, run, offset, limit) => {
  const r = loadBacktestDetails(app.db, run.id);
  return pageOf<unknown>(r?.trades ?? [], offset, limit);
});
