/** `tradelab gc`: retention (research/retention.ts). A dry run unless --confirm. */
import { openApp } from '../research/app.js';
import { UserError } from '../research/errors.js';
import { applyGc, planGc, type GcPlan, type GcResult } from '../research/retention.js';
import { formatBytes, type StoreSize } from '../research/store-size.js';
import { numberFlag, out, parse } from './args.js';

export const GC_HELP = `tradelab gc [--confirm] [--vacuum] [--keep-days N] [--keep-runs N] [--cache-days N] [--json]
  Removes old runs and their stored results under the retention policy (config/server.yaml
  \`retention:\`; the flags override it). Without --confirm it only reports what it would do.
  A run is removed with its child runs, only when it is older than keep_days AND not among
  the newest keep_runs top-level runs. Always kept: unfinished runs, every run a champion
  version refers to (source and evidence runs), the newest optimize run of each study, and
  never touched: studies and their trials, the trial ledger, champions, datasets.
  --confirm also drops optimizer cache entries older than cache_days and rewrites results
  stored by older versions compactly (a backtest's curve is dropped only when the engine
  recomputes it bit for bit).
  --vacuum (with --confirm) gives the freed pages back to the file system. A store created
  by an older tradelab needs one full VACUUM for that, which holds the write lock while it
  runs: do it when no server is writing. Later vacuums free pages in small steps.`;

export async function gcCommand(argv: string[]): Promise<number> {
  const { values: v } = parse(argv, { confirm: { type: 'boolean' }, vacuum: { type: 'boolean' }, 'keep-days': { type: 'string' }, 'keep-runs': { type: 'string' }, 'cache-days': { type: 'string' }, json: { type: 'boolean' } }, 'gc');
  if (v.help) return (out(GC_HELP), 0);
  const overrides = {
    keep_days: nonNegative(numberFlag(v['keep-days'], 'keep-days'), 'keep-days'),
    keep_runs: nonNegative(numberFlag(v['keep-runs'], 'keep-runs'), 'keep-runs', true),
    cache_days: nonNegative(numberFlag(v['cache-days'], 'cache-days'), 'cache-days'),
  };
  const app = openApp();
  try {
    const plan = planGc(app, overrides);
    if (!v.confirm) {
      if (v.json) out(JSON.stringify({ dry_run: true, ...planView(plan) }));
      else out(planText(plan, Boolean(v.vacuum)));
      return 0;
    }
    const result = applyGc(app, plan, { vacuum: Boolean(v.vacuum) });
    if (v.json) out(JSON.stringify({ dry_run: false, plan: planView(plan), result }));
    else out(resultText(plan, result));
    return 0;
  } finally {
    app.db.close();
  }
}

function nonNegative(n: number | undefined, flag: string, integer = false): number | undefined {
  if (n === undefined) return undefined;
  if (n < 0 || (integer && !Number.isInteger(n))) {
    throw new UserError(`--${flag} must be ${integer ? 'a whole number' : 'a number'} ≥ 0`, { field: `--${flag}`, value: n, expected: integer ? 'a whole number ≥ 0' : 'a number ≥ 0 (days)' });
  }
  return n;
}

function planView(p: GcPlan): Omit<GcPlan, 'remove' | 'champion_mark'> & { remove_first: string[] } {
  const { remove, champion_mark: _m, ...rest } = p;
  void _m;
  return { ...rest, remove_first: remove.slice(0, 20) };
}

function storeLine(s: StoreSize): string {
  if (s.engine === 'postgres') return `PostgreSQL database, ${formatBytes(s.database_bytes)}`;
  if (s.in_memory) return `in memory, ${formatBytes(s.used_bytes)} in use`;
  return `${formatBytes(s.file_bytes ?? 0)} file + ${formatBytes(s.wal_bytes ?? 0)} write-ahead log, ${formatBytes(s.used_bytes)} in use, ${s.free_pages} free page(s) (auto-vacuum ${s.auto_vacuum})`;
}

function policyLine(p: GcPlan): string {
  const r = p.policy;
  return `keep_days ${r.keep_days ?? 'off'}, keep_runs ${r.keep_runs ?? 'off'}, cache_days ${r.cache_days ?? 'off'}`;
}

function planText(p: GcPlan, vacuum: boolean): string {
  const kinds = Object.entries(p.runs.remove_by_kind).map(([k, n]) => `${k} ${n}`).join(', ');
  const k = p.kept;
  return [
    `tradelab gc: dry run (add --confirm to apply); policy ${policyLine(p)}`,
    `  runs: ${p.runs.stored} stored in ${p.runs.trees} top-level tree(s); would remove ${p.runs.remove_runs} run(s) in ${p.runs.remove_trees} tree(s)${kinds ? ` (${kinds})` : ''}, ~${formatBytes(p.runs.remove_bytes)} of run data`,
    `  kept trees: ${k.champion} referenced by champions, ${k.study} newest run of a study, ${k.unfinished} unfinished, ${k.recent} created within ${p.policy.keep_days ?? '-'} days, ${k.newest} among the newest ${p.policy.keep_runs ?? '-'}, ${k.referenced} named by a kept run`,
    `  optimizer cache: would remove ${p.cache.remove_entries} entr${p.cache.remove_entries === 1 ? 'y' : 'ies'} (~${formatBytes(p.cache.remove_bytes)})`,
    `  results in the old format: ${p.legacy.rows} (~${formatBytes(p.legacy.bytes)}) would be rewritten compactly`,
    `  never removed: studies and their trials, the trial ledger, champions, datasets`,
    `  store: ${storeLine(p.store)}${vacuum ? '; --vacuum would give free pages back' : ''}`,
  ].join('\n');
}

function resultText(p: GcPlan, r: GcResult): string {
  const lines = [
    `tradelab gc: removed ${r.removed_runs} run(s) in ${r.removed_trees} tree(s)${r.spared_trees ? `; ${r.spared_trees} tree(s) kept after all (a run started or a champion came to refer to them)` : ''}; policy ${policyLine(p)}`,
    `  optimizer cache: removed ${r.removed_cache_entries} entr${r.removed_cache_entries === 1 ? 'y' : 'ies'}`,
    `  old-format results rewritten: ${r.compacted.rows} (${r.compacted.curves_dropped} curve(s) dropped as reproducible, ${r.compacted.curves_kept} kept compressed)`,
  ];
  if (r.vacuum) lines.push(`  vacuum (${r.vacuum.mode}): ${r.vacuum.pages_before} → ${r.vacuum.pages_after} pages`);
  lines.push(`  store: ${storeLine(r.store)}${r.vacuum || r.store.engine === 'postgres' ? '' : r.store.free_pages > 0 ? ' (free pages are reused by new data; --vacuum gives them back)' : ''}`);
  return lines.join('\n');
}
