/**
 * `tradelab summarize [<study>]`: without a name, every stored study (as `tradelab studies`);
 * with one, the study's summary, its trials filtered like freqtrade's `hyperopt-list`
 * (--best, --min-trades, --profitable, --max-drawdown), and --export-csv of its trials.
 */
import { writeFileSync } from 'node:fs';
import type { FailReasonCount } from '../engine/optimizer/results.js';
import type { FrozenTrial, StudyDirection } from '../engine/optimizer/trial.js';
import { UserError } from '../research/errors.js';
import { studyFailureOf } from '../research/optimize/outcome.js';
import { viewTrial } from '../research/optimize/run-study.js';
import { loadStudy, summarizeStudy } from '../research/optimize/summarize.js';
import { filterTrials, filtersText, hasFilters, trialsTable, type TrialFilters } from '../research/optimize/trial-table.js';
import { openCliApp } from './app.js';
import { countFlag, err, numberFlag, out, parse } from './args.js';
import { toCsv } from './csv.js';
import { printStudies } from './studies.js';
import { columns, int, num, pct } from './text.js';

export const SUMMARIZE_HELP = `tradelab summarize [<study>] [--top N] [--json]
                    [--best N] [--min-trades N] [--profitable] [--max-drawdown PCT] [--export-csv FILE]
  Without a study: every stored study (as \`tradelab studies\`).
  With one: meta, counts by state, durations, how its last run stopped, why trials failed, and
  the best and the top N distinct configurations, ranked as the optimizer ranks them (feasible
  trials first, infeasible ones by total constraint violation, then the objective).
  Trial filters (COMPLETE trials; listed best first):
    --best N          only the best N distinct configurations (after the other filters)
    --min-trades N    at least N trades
    --profitable      return_pct > 0
    --max-drawdown P  a max drawdown no deeper than P % (20, or --max-drawdown=-20)
  --export-csv FILE   the trials as a CSV table (RFC 4180): number, state, value(s), feasible,
                      datetime_start/complete, params.<path>, metrics.<key>, fail_reason;
                      the filtered trials when a filter is given, else every trial`;

const OPTIONS = {
  top: { type: 'string' },
  best: { type: 'string' },
  'min-trades': { type: 'string' },
  profitable: { type: 'boolean' },
  'max-drawdown': { type: 'string' },
  'export-csv': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Why trials failed: the study's failure when they all did, else each reason with its count. */
export function printFailures(s: Record<string, unknown>): void {
  const failure = studyFailureOf(s);
  if (failure) out(`  FAILED: ${failure}`);
  else for (const r of (s.fail_reasons ?? []) as FailReasonCount[]) out(`  ${r.count} trial(s) failed: ${r.reason} (e.g. #${r.trials.join(', #')})`);
}

function filtersOf(v: Record<string, string | boolean | undefined>): TrialFilters {
  const best = countFlag(v.best, 'best');
  if (best === 0) throw new UserError('--best must be at least 1', { field: '--best', value: v.best });
  return { best, min_trades: countFlag(v['min-trades'], 'min-trades'), profitable: v.profitable === true, max_drawdown_pct: numberFlag(v['max-drawdown'], 'max-drawdown') };
}

export async function summarizeCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, OPTIONS, 'summarize', 1);
  if (v.help) return (out(SUMMARIZE_HELP), 0);
  const name = positionals[0];
  const top = countFlag(v.top, 'top') ?? 5;
  const filters = filtersOf(v);
  if (!name && (hasFilters(filters) || v['export-csv'] !== undefined)) {
    throw new UserError('trial filters and --export-csv need a study name', { field: '<study>', hint: 'tradelab summarize <study> --best 10 --min-trades 30 (`tradelab studies` lists the studies)' });
  }
  const app = openCliApp();
  try {
    if (!name) return printStudies(app, v.json === true);
    const loaded = await loadStudy(app, name);
    const s = await summarizeStudy(app, name, top, loaded);
    const directions = loaded.study.directions as StudyDirection[];
    const filtered = hasFilters(filters) ? filterTrials(loaded.trials, directions, filters) : null;
    const file = v['export-csv'];
    if (typeof file === 'string') {
      const rows = filtered ? filtered.trials : loaded.trials;
      const t = trialsTable(rows, directions);
      writeFileSync(file, toCsv(t.head, t.rows));
      err(`wrote ${rows.length} trial(s) of study ${name} to ${file}`);
    }
    if (v.json) {
      const view = (t: FrozenTrial, i: number): Record<string, unknown> => ({ ...viewTrial(t, {}), copies: filtered?.copies[i] ?? 1 });
      const extra = filtered ? { filtered: { filters: filtersText(filters), complete: filtered.complete, matched: filtered.matched, trials: filtered.trials.map(view) } } : {};
      return (out(JSON.stringify({ ...s, ...extra })), 0);
    }
    printStudy(s, top);
    if (filtered) printFiltered(filtered, filters);
    return 0;
  } finally {
    app.db.close();
  }
}

type Row = { number: number; values: number[]; params: unknown; feasible: boolean; copies: number };

function printStudy(s: Record<string, unknown>, top: number): void {
  const meta = s.meta as Record<string, unknown> & { directions: string[]; created: string; forced_resumes: unknown[] };
  const d = s.durations as { wall_seconds: number | null; mean_trial_ms: number | null };
  const counts = Object.entries(s.counts as Record<string, number>).filter(([, n]) => n > 0);
  out(`study ${String(s.study)} — ${String(meta.strategy ?? '?')} on ${String(meta.symbol ?? '?')} ${String(meta.timeframe ?? '')}, ${meta.directions.join('/')}, created ${meta.created}`);
  out(`  trials: ${counts.length ? counts.map(([k, n]) => `${n} ${k}${k === 'WAITING' ? ' (stopped before finishing; run first when the study resumes)' : ''}`).join(', ') : 'none'}; ${String(s.distinct_configurations)} distinct complete configuration(s)`);
  out(`  durations: wall ${d.wall_seconds === null ? 'n/a' : d.wall_seconds.toFixed(1) + ' s'}, mean trial ${d.mean_trial_ms === null ? 'n/a' : d.mean_trial_ms.toFixed(1) + ' ms'}`);
  const stopped = s.stopped as { reason: string; detail: string; short?: { finished: number; target: number } | null } | null;
  if (stopped) out(`  last run stopped by ${stopped.reason} (${stopped.detail})${stopped.short ? `, short of n_trials: ${stopped.short.finished} of ${stopped.short.target} trials finished` : ''}`);
  if (meta.forced_resumes.length) out(`  forced resumes: ${JSON.stringify(meta.forced_resumes)}`);
  printFailures(s);
  const collapsed = s.top_duplicates_collapsed as number;
  out(`  top ${top} distinct configurations${collapsed > 0 ? ` (${collapsed} repeated trial(s) collapsed)` : ''}, feasible first:`);
  for (const t of s.top as Row[]) {
    const notes = [t.feasible ? '' : 'infeasible', t.copies > 1 ? `×${t.copies}` : ''].filter((x) => x !== '').join(', ');
    out(`    #${String(t.number).padEnd(5)} ${t.values.map((x) => num(x, 4)).join(', ').padEnd(12)} ${JSON.stringify(t.params)}${notes ? `  (${notes})` : ''}`);
  }
}

function printFiltered(f: ReturnType<typeof filterTrials>, filters: TrialFilters): void {
  out(`  trials with ${filtersText(filters)}: ${f.matched} of ${f.complete} complete trial(s) match${filters.best !== undefined ? `, ${f.trials.length} distinct listed` : ''}`);
  if (f.trials.length === 0) return;
  const distinct = filters.best !== undefined;
  const metric = (t: FrozenTrial, k: string): unknown => (t.user_attrs.metrics as Record<string, unknown> | undefined)?.[k];
  const rows = f.trials.map((t, i) => {
    const view = viewTrial(t, {});
    return [
    `#${t.number}`,
    (t.values ?? []).map((x) => num(x, 4)).join(', '),
    ...(distinct ? [f.copies[i] > 1 ? `×${f.copies[i]}` : ''] : []),
    int(metric(t, 'trades')),
    pct(metric(t, 'return_pct')),
    pct(metric(t, 'max_drawdown_pct')),
    num(metric(t, 'sharpe')),
    `${JSON.stringify(view.params)}${view.feasible ? '' : ' (infeasible)'}`,
    ];
  });
  out(columns(['trial', 'value', ...(distinct ? ['copies'] : []), 'trades', 'return', 'max DD', 'Sharpe', 'params'], rows, '    ').join('\n'));
}
