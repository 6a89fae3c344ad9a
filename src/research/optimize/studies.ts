/**
 * Every stored study, newest update first (`tradelab studies`, `tradelab summarize` without
 * a name): what it optimises on which data, its trials by state, and its best value. A study
 * with several objectives has a Pareto front, not one best value (null here; `summarize
 * STUDY` lists the front's configurations).
 */
import { TRIAL_STATES } from '../../engine/optimizer/trial.js';
import { studySummaries, type StudySummaryRow } from '../../storage/study-summaries.js';
import type { RemoteBackend } from '../remote/backend.js';
import type { App } from '../app.js';

export interface StudyView {
  readonly study: string;
  readonly strategy: string | null;
  readonly symbol: string | null;
  readonly timeframe: string | null;
  readonly dataset_id: number | null;
  readonly directions: readonly string[];
  readonly trials: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly best_trial: number | null;
  readonly best_value: number | null;
  readonly created: string;
  readonly last_update: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function listStudies(app: App): StudyView[] {
  return studyViews(studySummaries(app.db));
}

/** The same listing of the studies in a shared PostgreSQL storage (the workers' studies). */
export async function listRemoteStudies(remote: RemoteBackend): Promise<StudyView[]> {
  return studyViews(await remote.studySummaries());
}

function studyViews(rows: readonly StudySummaryRow[]): StudyView[] {
  return rows.map((s) => {
    const counts = Object.fromEntries(TRIAL_STATES.map((k) => [k, s.counts[k] ?? 0]));
    const single = s.directions.length === 1;
    return {
      study: s.name,
      strategy: str(s.user_attrs.strategy),
      symbol: str(s.user_attrs.symbol),
      timeframe: str(s.user_attrs.timeframe),
      dataset_id: typeof s.user_attrs.dataset_id === 'number' ? s.user_attrs.dataset_id : null,
      directions: s.directions,
      trials: Object.values(counts).reduce((a, b) => a + b, 0),
      counts,
      best_trial: single ? s.best_trial : null,
      best_value: single ? s.best_value : null,
      created: new Date(s.datetime_start).toISOString(),
      last_update: new Date(s.last_update).toISOString(),
    };
  });
}
