/** Optimizer job files (loading only, no run): every shipped example loads; unknown keys at any level are refused with the file and path. */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadJobFile } from '../../src/cli/optimize.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'tradelab-jobs-'));

function jobError(body: string): string {
  const file = join(dir, `job-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, body);
  try {
    loadJobFile(file);
  } catch (e) {
    return `${(e as Error).message.replace(file, 'job.yaml')}`;
  }
  return 'no error';
}

const task = (extra: string): string => `strategy_optimization_tasks:\n  - strategy: sma_cross\n    symbol: DEMO-BTC\n    timeframe: 1h\n${extra}`;

describe('optimizer job files', () => {
  it('every shipped example in config/optimizer loads', () => {
    const files = readdirSync(join(REPO_ROOT, 'config', 'optimizer')).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const f of files) expect(loadJobFile(join(REPO_ROOT, 'config', 'optimizer', f)).length, f).toBeGreaterThan(0);
  });

  it('refuses unknown keys at every level, naming the file, the path, a suggestion and the accepted keys', () => {
    expect(jobError(task('    trials: 7\n'))).toMatch(/^job\.yaml: strategy_optimization_tasks\[0\]\.trials: unknown key; did you mean "n_trials"\? Accepted keys in strategy_optimization_tasks\[0\]: task_name, study_name, strategy,/);
    expect(jobError(task('    space:\n      fast: { type: int, low: 5, hgh: 50 }\n'))).toMatch(/strategy_optimization_tasks\[0\]\.space\.fast\.hgh: unknown key; did you mean "high"\? Accepted keys in strategy_optimization_tasks\[0\]\.space\.fast: type, low, high, step, log, choices/);
    expect(jobError(task('    validate: { top_k: 3, holdout: { from: 2024-01-01 }, min_sharp: 0 }\n'))).toMatch(/validate\.min_sharp: unknown key; did you mean "min_sharpe"\?/);
    expect(jobError(task('    sampler: { type: tpe, multivarite: true }\n'))).toMatch(/sampler\.multivarite: unknown key; did you mean "multivariate"\?/);
    expect(jobError(task('    execution: { comission: 0.001 }\n'))).toMatch(/execution\.comission: unknown key; did you mean "commission"\?/);
    // the misspelt key is the one problem: not also "strategy_optimization_tasks is missing"
    expect(jobError('strategy_optimisation_tasks: []\n')).toBe('job.yaml: strategy_optimisation_tasks: unknown key; did you mean "strategy_optimization_tasks"? Accepted keys at the top level: strategy_optimization_tasks');
    expect(jobError(task('    fixed_params:\n      __proto__: { fast: 3 }\n'))).toMatch(/strategy_optimization_tasks\[0\]\.fixed_params\.__proto__: the key "__proto__" is not allowed/);
  });
});
