/**
 * Reading and checking a scenario file. Every error names the scenario, the key and the
 * value, e.g. `scenario "oos-top5": from_study.top: must be >= 1 (got 0)`. The whole file is
 * checked before anything runs.
 */
import type { Db } from '../../storage/db.js';
import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { checkMetric } from '../batch/metrics.js';
import { UserError, show, valueAt } from '../errors.js';
import { resolveExecution } from '../execution.js';
import { acceptedOnce, checkInput, formatPath, type InputProblem } from '../strict-input.js';
import { resolveStrategy } from '../strategy-params.js';
import { kindOf, scenarioFileSchema, SCENARIO_KINDS, type ScenarioFile, type ScenarioInput } from './schema.js';

export interface LoadedScenarios {
  readonly file: string;
  readonly spec: ScenarioFile;
}

/** `scenario "NAME"` (or `scenarios[k]` when the name itself is missing or bad). */
function scenarioLabel(raw: unknown, k: number): string {
  const name = valueAt(raw, ['scenarios', k, 'name']);
  return typeof name === 'string' && name.trim() !== '' ? `scenario ${JSON.stringify(name)}` : `scenarios[${k}]`;
}

/** An error about `key` of one scenario (or of the file when `k` is null). */
export function scenarioError(file: string, where: string, key: string, value: unknown, message: string, expected?: string): UserError {
  const got = value === undefined ? '' : ` (got ${show(value)})`;
  return new UserError(`${file}: ${where}: ${key}: ${message}${got}`, { field: `${where}: ${key}`, ...(expected ? { expected } : {}) });
}

function zodError(file: string, raw: unknown, problems: readonly InputProblem[]): UserError {
  const said = new Set<string>();
  const lines = problems.slice(0, 8).map((p) => {
    const got = p.value === undefined ? '' : ` (got ${show(p.value)})`;
    const [head, k] = p.path;
    if (head === 'scenarios' && typeof k === 'number') {
      const label = scenarioLabel(raw, k);
      const key = formatPath(p.path.slice(2)) || '(the scenario)';
      const accepted = acceptedOnce(p, said, (path) => (path.length > 2 ? `${formatPath(path.slice(2))} of ${label}` : label));
      return `${label}: ${key}: ${p.message}${got}${accepted}`;
    }
    return `${p.field || '(the file)'}: ${p.message}${got}${acceptedOnce(p, said, (path) => formatPath(path))}`;
  });
  return new UserError(`${file}: invalid scenario file:\n  ${lines.join('\n  ')}`, {
    field: 'scenarios',
    expected: `{defaults?, scenarios: [{name, one of ${SCENARIO_KINDS.join(' | ')}, ...}]} (see config/scenarios/*.yaml)`,
  });
}

/** Checks a scenario beyond its shape: one kind, known metrics/strategies, valid execution, references. */
function checkScenario(file: string, s: ScenarioInput, k: number, earlier: readonly string[], db?: Db): void {
  const where = `scenario ${JSON.stringify(s.name)}`;
  const kinds = kindOf(s);
  if (kinds.length !== 1) {
    throw scenarioError(file, where, kinds.length === 0 ? '(kind)' : kinds.join(' + '), undefined, kinds.length === 0 ? 'no scenario kind given' : 'more than one scenario kind given', `exactly one of ${SCENARIO_KINDS.join(', ')}`);
  }
  if (earlier.includes(s.name)) throw scenarioError(file, `scenarios[${k}]`, 'name', s.name, 'the same name is used by an earlier scenario', 'unique scenario names');
  const wrap = (key: string, value: unknown, f: () => unknown): void => {
    try {
      f();
    } catch (e) {
      if (e instanceof UserError) throw scenarioError(file, where, key, value, e.message, e.detail.expected);
      throw e;
    }
  };
  if (s.rank_by !== undefined) wrap('rank_by', s.rank_by, () => checkMetric(s.rank_by as string, 'rank_by'));
  (s.metrics ?? []).forEach((m, j) => wrap(`metrics.${j}`, m, () => checkMetric(m, 'metrics')));
  if (s.execution !== undefined) wrap('execution', s.execution, () => resolveExecution(s.execution));
  if (s.perturb) {
    const p = s.perturb;
    wrap('perturb.strategy', p.strategy, () => resolveStrategy(p.strategy, db));
    if (p.params && p.champion) throw scenarioError(file, where, 'perturb', { params: p.params, champion: p.champion }, 'give either params or champion, not both');
  }
  if (s.by_regime) {
    const b = s.by_regime;
    wrap('by_regime.strategy', b.strategy, () => resolveStrategy(b.strategy, db));
    if (b.params && b.champion) throw scenarioError(file, where, 'by_regime', { params: b.params, champion: b.champion }, 'give either params or champion, not both');
  }
  if (s.from_study?.strategy) wrap('from_study.strategy', s.from_study.strategy, () => resolveStrategy(s.from_study?.strategy as string, db));
  if (s.ensemble) {
    const e = s.ensemble;
    if ((e.members === undefined) === (e.from_scenario === undefined)) {
      throw scenarioError(file, where, 'ensemble', e, 'give either members or from_scenario', 'members: [run ids or backtest specs], or from_scenario: NAME with top: N');
    }
    if (e.from_scenario !== undefined && !earlier.includes(e.from_scenario)) {
      throw scenarioError(file, where, 'ensemble.from_scenario', e.from_scenario, 'no earlier scenario has this name', earlier.length ? `one of ${earlier.map((n) => JSON.stringify(n)).join(', ')}` : 'a scenario listed before this one');
    }
  }
}

/** `db`, when given, lets scenarios name stored strategy definitions (without it, only built-ins). */
export function parseScenarioText(text: string, file: string, db?: Db): ScenarioFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    const pos = e instanceof YAMLParseError && e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    throw new UserError(`${file}: not valid YAML${pos}: ${(e as Error).message.split('\n')[0]}`, { field: 'file', value: file });
  }
  const r = checkInput(scenarioFileSchema, raw);
  if (!r.ok) throw zodError(file, raw, r.problems);
  const spec = r.data;
  const d = spec.defaults;
  if (d?.rank_by !== undefined) {
    try {
      checkMetric(d.rank_by, 'defaults.rank_by');
    } catch (e) {
      throw scenarioError(file, 'defaults', 'rank_by', d.rank_by, (e as UserError).message, (e as UserError).detail.expected);
    }
  }
  const names: string[] = [];
  spec.scenarios.forEach((s, k) => {
    checkScenario(file, s, k, names, db);
    names.push(s.name);
  });
  return spec;
}

export function loadScenarioFile(file: string, db?: Db): LoadedScenarios {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { field: '<file>', value: file, expected: 'a readable scenario file (YAML or JSON)' });
  }
  return { file, spec: parseScenarioText(text, file, db) };
}
