/** `tradelab studies`: every stored study, newest update first (also `tradelab summarize` without a name). */
import type { App } from '../research/app.js';
import { listRemoteStudies, listStudies, type StudyView } from '../research/optimize/studies.js';
import { storageUrl } from './storage-url.js';
import { openCliApp } from './app.js';
import { out, parse } from './args.js';
import { columns, isoTime, num } from './text.js';

export const STUDIES_HELP = `tradelab studies [--storage postgresql://…] [--json]
  Every stored optimisation study, most recently updated first: name, strategy, symbol and
  timeframe, trials by state, the best value of the first objective (feasible COMPLETE trials;
  a multi-objective study has a Pareto front instead: \`tradelab summarize STUDY\`), the
  direction and the last update. --storage lists the studies of a shared PostgreSQL storage
  (those \`tradelab worker\` processes run) instead of this store's. --json prints
  {studies: [...], total}.`;

/** The state columns shown: COMPLETE always, the others when a study has such trials. */
const STATES = [
  ['COMPLETE', 'complete'],
  ['PRUNED', 'pruned'],
  ['FAIL', 'failed'],
  ['RUNNING', 'running'],
  ['WAITING', 'waiting'],
] as const;

function studyRows(studies: readonly StudyView[]): string[] {
  const states = STATES.filter(([k]) => k === 'COMPLETE' || studies.some((s) => s.counts[k] > 0));
  const dir = (s: StudyView): string => s.directions.map((d) => (d === 'maximize' ? 'max' : 'min')).join('/');
  const best = (s: StudyView): string => (s.directions.length > 1 ? 'Pareto' : s.best_value === null ? 'n/a' : `${num(s.best_value, 4)} #${s.best_trial}`);
  const rows = studies.map((s) => [s.study, s.strategy ?? '?', `${s.symbol ?? '?'} ${s.timeframe ?? ''}`.trim(), ...states.map(([k]) => String(s.counts[k])), best(s), dir(s), isoTime(s.last_update, true)]);
  return columns(['study', 'strategy', 'data', ...states.map(([, h]) => h), 'best', 'dir', 'updated'], rows, '');
}

export function printStudies(app: App, json: boolean): number {
  return printStudyViews(listStudies(app), json);
}

function printStudyViews(studies: StudyView[], json: boolean): number {
  if (json) return (out(JSON.stringify({ studies, total: studies.length })), 0);
  if (studies.length === 0) return (out('no studies stored yet (tradelab optimize <job.yaml> creates one)'), 0);
  out(`${studies.length} stud${studies.length === 1 ? 'y' : 'ies'}, most recently updated first:`);
  out(studyRows(studies).join('\n'));
  return 0;
}

export async function studiesCommand(argv: string[]): Promise<number> {
  const { values: v } = parse(argv, { json: { type: 'boolean' }, storage: { type: 'string' } }, 'studies');
  if (v.help) return (out(STUDIES_HELP), 0);
  if (typeof v.storage === 'string') {
    // loaded only here: the plain listing does not load the PostgreSQL client
    const { openRemote } = await import('../research/remote/backend.js');
    const remote = await openRemote(storageUrl(v.storage));
    try {
      return printStudyViews(await listRemoteStudies(remote), v.json === true);
    } finally {
      await remote.close();
    }
  }
  const app = openCliApp();
  try {
    return printStudies(app, v.json === true);
  } finally {
    app.db.close();
  }
}
