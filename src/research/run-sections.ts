/**
 * Paged views of a run's stored details (trades, equity, …). Each kind of run registers
 * the sections it has; unknown combinations get an error naming what the run offers.
 */
import { loadBacktestDetails } from '../storage/run-results.js';
import { loadRunEquity } from './run-result.js';
import type { RunRow } from '../storage/runs.js';
import type { App } from './app.js';
import { UserError } from './errors.js';

export const RUN_SECTIONS = ['trades', 'equity', 'skipped', 'open_trades', 'trials', 'top', 'windows', 'oos_equity', 'items'] as const;
export type RunSection = (typeof RUN_SECTIONS)[number];

export interface SectionPage {
  readonly items: unknown[];
  readonly total: number;
  readonly next_cursor: string | null;
  readonly remaining: number;
}

export type SectionReader = (app: App, run: RunRow, offset: number, limit: number) => SectionPage;

const readers = new Map<string, SectionReader>();

/** Registers a reader for `kind:section` (used by the optimize, walk-forward and batch modules). */
export function registerSection(kind: RunRow['kind'], section: RunSection, reader: SectionReader): void {
  readers.set(`${kind}:${section}`, reader);
}

export function pageOf<T>(items: readonly T[], offset: number, limit: number): SectionPage {
  const slice = items.slice(offset, offset + limit);
  const end = offset + slice.length;
  return { items: slice, total: items.length, next_cursor: end < items.length ? String(end) : null, remaining: Math.max(0, items.length - end) };
}

function backtestSection(key: 'trades' | 'skipped' | 'open_trades'): SectionReader {
  return (app, run, offset, limit) => {
    const r = loadBacktestDetails(app.db, run.id);
    if (!r) throw new UserError(`run ${run.id} has no stored result`, { field: 'run_id', value: run.id });
    return pageOf<unknown>(r[key] as readonly unknown[], offset, limit);
  };
}

registerSection('backtest', 'trades', backtestSection('trades'));
registerSection('backtest', 'skipped', backtestSection('skipped'));
registerSection('backtest', 'open_trades', backtestSection('open_trades'));
registerSection('backtest', 'equity', (app, run, offset, limit) => {
  const r = loadRunEquity(app, run.id);
  if (!r) throw new UserError(`run ${run.id} has no stored result`, { field: 'run_id', value: run.id });
  const items: { bar: number; equity: number }[] = [];
  const end = Math.min(r.equity.length, offset + limit);
  for (let i = offset; i < end; i++) items.push({ bar: i, equity: r.equity[i] });
  return { items, total: r.equity.length, next_cursor: end < r.equity.length ? String(end) : null, remaining: r.equity.length - end };
});

/** The sections a kind of run offers. */
export function sectionsOf(kind: RunRow['kind']): string[] {
  return [...readers.keys()].filter((k) => k.startsWith(`${kind}:`)).map((k) => k.split(':')[1]);
}

export function runSection(app: App, run: RunRow, section: RunSection, offset: number, limit: number): SectionPage {
  const reader = readers.get(`${run.kind}:${section}`);
  if (!reader) {
    const offered = sectionsOf(run.kind);
    throw new UserError(`a ${run.kind} run has no section ${JSON.stringify(section)}`, { field: 'include', value: section, expected: offered.join(', ') || 'none (summary only)' });
  }
  return reader(app, run, offset, limit);
}
