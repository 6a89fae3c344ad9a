/** `tradelab scenarios <file.yaml>`: runs the scenarios of a file through the batch machinery and prints a comparison report. */
import { UserError } from '../research/errors.js';
import { JobRunner } from '../research/jobs.js';
import { loadScenarioFile } from '../research/scenarios/load.js';
import { scenarioReport } from '../research/scenarios/report.js';
import { runScenarios } from '../research/scenarios/run.js';
import { openCliApp } from './app.js';
import { closeComputeApp } from './batch.js';
import { err, out, parse } from './args.js';

export const SCENARIOS_HELP = `tradelab scenarios <file.yaml> [--only NAME[,NAME...]] [--check] [--json] [--verbose]

  Runs named scenarios (config/scenarios/*.yaml), each as one stored batch run, and prints a
  comparison report. Kinds: from_study (top N trials of a study, out of sample), perturb (±by of
  each numeric parameter of explicit params or the champion), ensemble (equal weights, daily
  rebalancing; members = run ids, specs, or from_scenario + top), batch (a backtest_batch spec).
  --check     validate the file only (nothing runs)
  --only      run only these scenarios
  --json      print {file, scenarios: [{name, kind, run_id, status, info, summary, error}]}
  --verbose   print each item as it finishes (stderr)
Exit code: 0 when every scenario ran, 2 when one could not be built, 1 when a batch failed, 130 when cancelled.`;

export async function scenariosCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, { only: { type: 'string' }, check: { type: 'boolean' }, json: { type: 'boolean' }, verbose: { type: 'boolean' } }, 'scenarios', 1);
  if (v.help) return (out(SCENARIOS_HELP), 0);
  const file = positionals[0];
  if (!file) throw new UserError('scenarios needs a scenario file', { field: '<file.yaml>', hint: SCENARIOS_HELP.split('\n')[0] });
  const app = openCliApp();
  const loaded = loadScenarioFile(file, app.db);
  if (v.check) {
    out(`${file}: ${loaded.spec.scenarios.length} scenario(s) OK: ${loaded.spec.scenarios.map((s) => s.name).join(', ')}`);
    return 0;
  }
  const only = typeof v.only === 'string' ? v.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const jobs = new JobRunner(app);
  const abort = new AbortController();
  const onSigint = (): void => {
    err('tradelab scenarios: cancelling (finished items stay stored)…');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const outcomes = await runScenarios(app, jobs, loaded, {
      only,
      signal: abort.signal,
      onStart: (name, id) => err(`scenario ${name}: batch ${id}`),
      onProgress: v.verbose ? (name, p) => err(`[${name} ${p.done}/${p.total ?? '?'}] ${p.message ?? ''}`) : undefined,
    });
    if (v.json) out(JSON.stringify({ file, scenarios: outcomes }));
    else out(scenarioReport(file, outcomes));
    if (outcomes.some((o) => o.status === 'cancelled')) return 130;
    if (outcomes.some((o) => o.status === 'not_built')) return 2;
    return outcomes.every((o) => o.status === 'succeeded') ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await closeComputeApp(app, jobs);
  }
}
