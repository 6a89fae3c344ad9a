/**
 * Objectives (a metric key + a direction) and constraints (`trades >= 30`,
 * `max_drawdown_pct >= -25`), and the ranking of trials: feasible first, infeasible ones by
 * total violation, then by objective value (Optuna's rule), with repeated configurations
 * collapsed for lists. Constraint values follow Optuna's convention
 * (> 0 = violated by that amount), so `trades >= 30` with 12 trades gives 18.
 */
import { configKey } from './space.js';
import { totalViolation, type FrozenTrial, type StudyDirection } from './trial.js';

export interface ObjectiveSpec {
  readonly metric: string;
  readonly direction: StudyDirection;
}

export interface ConstraintSpec {
  readonly metric: string;
  readonly op: '>=' | '<=';
  readonly bound: number;
  /** The text it was parsed from (for messages and signatures). */
  readonly source: string;
}

export class ObjectiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ObjectiveError';
  }
}

const METRIC_RE = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/**
 * Parses `metric`, `metric:maximize`, `-metric` (minimise) or `{ metric, direction }`.
 * Without a direction it takes `defaultDirection`, or what that function gives for the metric.
 */
export function parseObjective(input: unknown, defaultDirection: StudyDirection | ((metric: string) => StudyDirection) = 'maximize'): ObjectiveSpec {
  const byDefault = (metric: string): StudyDirection => (typeof defaultDirection === 'function' ? defaultDirection(metric) : defaultDirection);
  if (typeof input === 'string') {
    const s = input.trim();
    const m = /^([+-]?)([A-Za-z_][A-Za-z0-9_.]*)(?::(minimize|maximize))?$/.exec(s);
    if (!m) throw new ObjectiveError(`objective ${JSON.stringify(input)}: expected "metric", "metric:maximize", "metric:minimize" or "-metric"`);
    if (m[1] !== '' && m[3] !== undefined) throw new ObjectiveError(`objective ${JSON.stringify(input)}: use either a sign or ":direction", not both`);
    const direction: StudyDirection = m[3] === 'minimize' || m[3] === 'maximize' ? m[3] : m[1] === '-' ? 'minimize' : m[1] === '+' ? 'maximize' : byDefault(m[2]);
    return Object.freeze({ metric: m[2], direction });
  }
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const o = input as Record<string, unknown>;
    if (typeof o.metric !== 'string' || !METRIC_RE.test(o.metric)) {
      throw new ObjectiveError(`objective.metric must be a metric key such as "sharpe" or "score", got ${JSON.stringify(o.metric)}`);
    }
    const d = o.direction ?? byDefault(o.metric);
    if (d !== 'minimize' && d !== 'maximize') throw new ObjectiveError(`objective "${o.metric}": direction must be "minimize" or "maximize", got ${JSON.stringify(d)}`);
    return Object.freeze({ metric: o.metric, direction: d });
  }
  throw new ObjectiveError(`objective must be a string like "sharpe:maximize" or { metric, direction }, got ${JSON.stringify(input)}`);
}

/** Parses `metric >= number` or `metric <= number`. */
export function parseConstraint(text: string): ConstraintSpec {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(>=|<=|>|<|==|=)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/.exec(text);
  if (!m) {
    throw new ObjectiveError(`constraint ${JSON.stringify(text)}: expected "<metric> >= <number>" or "<metric> <= <number>", e.g. "trades >= 30"`);
  }
  if (m[2] !== '>=' && m[2] !== '<=') {
    throw new ObjectiveError(`constraint ${JSON.stringify(text)}: operator "${m[2]}" is not supported; use >= or <=`);
  }
  return Object.freeze({ metric: m[1], op: m[2], bound: Number(m[3]), source: text.trim() });
}

export type MetricBag = Readonly<Record<string, number | null | undefined>>;

function metricValue(metrics: MetricBag, key: string): number {
  const v = metrics[key];
  return typeof v === 'number' ? v : NaN;
}

/**
 * Constraint values for a trial's metrics: > 0 = violated by that amount. A missing or
 * undefined metric (null / NaN) counts as violated by +Infinity.
 */
export function constraintValues(constraints: readonly ConstraintSpec[], metrics: MetricBag): number[] {
  return constraints.map((c) => {
    const v = metricValue(metrics, c.metric);
    if (Number.isNaN(v)) return Infinity;
    return c.op === '>=' ? c.bound - v : v - c.bound;
  });
}

/** Objective values from metrics (NaN when a metric is missing: the trial then FAILs). */
export function objectiveValues(objectives: readonly ObjectiveSpec[], metrics: MetricBag): number[] {
  return objectives.map((o) => metricValue(metrics, o.metric));
}

/**
 * What ranking needs of a trial: a FrozenTrial, or a lighter view of one (a report's trial
 * row). A null or NaN value ranks after every number; constraints absent count as feasible.
 */
export interface RankableTrial {
  readonly number: number;
  readonly state: string;
  readonly values: readonly (number | null)[] | null;
  readonly constraints?: readonly number[] | null;
}

/**
 * Comparator for COMPLETE single-objective trials, best first: feasible before infeasible,
 * infeasible by total violation, then by value in the study's direction (null / NaN last),
 * then by number.
 */
export function compareTrials(direction: StudyDirection): (a: RankableTrial, b: RankableTrial) => number {
  const sign = direction === 'minimize' ? 1 : -1;
  return (a, b) => {
    const va = totalViolation(a.constraints ?? null);
    const vb = totalViolation(b.constraints ?? null);
    if (va !== vb) return va < vb ? -1 : 1;
    const xa = a.values?.[0] ?? NaN;
    const xb = b.values?.[0] ?? NaN;
    if (xa !== xb) {
      if (Number.isNaN(xa)) return Number.isNaN(xb) ? a.number - b.number : 1;
      if (Number.isNaN(xb)) return -1;
      return sign * (xa < xb ? -1 : 1);
    }
    return a.number - b.number;
  };
}

/**
 * COMPLETE trials ranked best first (single objective; the first direction for several).
 * The one ranking of trials: the best trial, top lists, holdout validation, refinement,
 * `tradelab summarize`, scenario selection, the progress's leader and the report's charts
 * all use it (through rankDistinct for lists of configurations).
 */
export function rankTrials<T extends RankableTrial>(trials: readonly T[], directions: readonly StudyDirection[]): T[] {
  return trials.filter((t) => t.state === 'COMPLETE' && t.values !== null).sort(compareTrials(directions[0] ?? 'minimize'));
}

export interface DistinctRanking {
  /** One trial per configuration (its first, i.e. best-ranked, occurrence), best first. */
  readonly trials: readonly FrozenTrial[];
  /** How many COMPLETE trials share trials[i]'s params (1 = no duplicate). */
  readonly copies: readonly number[];
}

/**
 * rankTrials with repeated configurations collapsed: samplers propose points again (and a
 * repeat is answered from its twin with the same values), so a plain top list can hold one
 * configuration several times. Configurations are told apart by their flat params (configKey).
 */
export function rankDistinct(trials: readonly FrozenTrial[], directions: readonly StudyDirection[]): DistinctRanking {
  const out: FrozenTrial[] = [];
  const copies: number[] = [];
  const at = new Map<string, number>();
  for (const t of rankTrials(trials, directions)) {
    const key = configKey(t.params);
    const i = at.get(key);
    if (i !== undefined) copies[i]++;
    else {
      at.set(key, out.length);
      out.push(t);
      copies.push(1);
    }
  }
  return { trials: out, copies };
}

/** The `n` best distinct configurations and how many duplicate trials they stand for. */
export function topDistinct(ranking: DistinctRanking, n: number): { readonly trials: FrozenTrial[]; readonly copies: number[]; readonly duplicates_collapsed: number } {
  const k = Math.max(0, n);
  const copies = ranking.copies.slice(0, k);
  return { trials: ranking.trials.slice(0, k), copies, duplicates_collapsed: copies.reduce((s, c) => s + c - 1, 0) };
}
