/** `tradelab runs`: stored runs, newest first, with their key figures (list_runs from the terminal). */
import { UserError } from '../research/errors.js';
import { listDatasets } from '../storage/datasets.js';
import { listRuns, RUN_KINDS, RUN_STATUSES, type RunKind, type RunRow, type RunStatus } from '../storage/runs.js';
import { isoDate } from '../tools/format.js';
import { kindFigures } from '../tools/lines.js';
import { openCliApp } from './app.js';
import { countFlag, out, parse } from './args.js';
import { columns, isoTime, obj, wrap } from './text.js';

export const RUNS_HELP = `tradelab runs [--kind KIND] [--status STATUS] [--strategy NAME] [--limit N] [--json]
  Stored runs, newest first: id, kind, status, strategy, dataset, creation time, and under each
  its key figures (a backtest's Sharpe, return, max drawdown and trades; a study's best trial;
  walk-forward OOS figures; batch counts) or its error.
  --kind    ${RUN_KINDS.join(' | ')}
  --status  ${RUN_STATUSES.join(' | ')}
  --limit   how many (default 20)
  --json    {runs: [{run_id, kind, status, strategy, dataset_id, created_at, finished_at, error, summary}], total}`;

function oneOf<T extends string>(v: string | boolean | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  const s = String(v).replace(/-/g, '_');
  if (!(allowed as readonly string[]).includes(s)) throw new UserError(`--${flag} ${JSON.stringify(v)} is not a run ${flag}`, { field: `--${flag}`, value: v, expected: allowed.join(', ') });
  return s as T;
}

export async function runsCommand(argv: string[]): Promise<number> {
  const { values: v } = parse(argv, { kind: { type: 'string' }, status: { type: 'string' }, strategy: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } }, 'runs');
  if (v.help) return (out(RUNS_HELP), 0);
  const kind = oneOf<RunKind>(v.kind, 'kind', RUN_KINDS);
  const status = oneOf<RunStatus>(v.status, 'status', RUN_STATUSES);
  const strategy = typeof v.strategy === 'string' ? v.strategy : undefined;
  const limit = countFlag(v.limit, 'limit') ?? 20;
  const app = openCliApp();
  try {
    const { runs, total } = listRuns(app.db, { kind, status, strategy, limit, offset: 0 });
    if (v.json) {
      const items = runs.map((r) => ({ run_id: r.id, kind: r.kind, status: r.status, strategy: r.strategy, dataset_id: r.dataset_id, created_at: isoDate(r.created_at), finished_at: isoDate(r.finished_at), error: r.error, summary: r.summary }));
      return (out(JSON.stringify({ runs: items, total })), 0);
    }
    const filters = [kind, status, strategy].filter((f) => f !== undefined);
    out(`${total} run(s)${filters.length ? ` (${filters.join(', ')})` : ''}, newest first${runs.length < total ? `; the first ${runs.length} (--limit N for more)` : ''}${total ? ':' : '.'}`);
    if (runs.length === 0) return 0;
    const datasets = new Map(listDatasets(app.db).map((d) => [d.id, `${d.symbol} ${d.timeframe}`]));
    const dataset = (r: RunRow): string => {
      const s = r.summary ?? {};
      if (typeof s.symbol === 'string') return `${s.symbol} ${String(s.timeframe ?? '')}`.trim();
      return r.dataset_id !== null ? (datasets.get(r.dataset_id) ?? `#${r.dataset_id}`) : '-';
    };
    const table = columns(['run', 'kind', 'status', 'strategy', 'dataset', 'created'], runs.map((r) => [r.id, r.kind, r.status, r.strategy ?? '-', dataset(r), isoTime(r.created_at, true)]), '');
    out(table[0]);
    runs.forEach((r, i) => {
      out(table[i + 1]);
      const figures = r.summary ? kindFigures(r.kind, obj(r.summary) ?? {}) : '';
      const detail = [figures, r.error ? `error: ${r.error}` : ''].filter(Boolean).join('; ');
      if (detail) out(wrap(detail, '    ', '      ').join('\n'));
    });
    return 0;
  } finally {
    app.db.close();
  }
}
