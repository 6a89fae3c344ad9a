/**
 * Rosenbrock (5-D), OPTIMIZER.md "Reference functions": x0…x4 ∈ [−5, 10].
 * Minimum 0 at (1, …, 1).
 */
import type { FlatParams, SearchSpace } from '../../src/engine/optimizer/space.types.js';

const NAMES = ['x0', 'x1', 'x2', 'x3', 'x4'] as const;

const space: SearchSpace = Object.fromEntries(NAMES.map((n) => [n, { type: 'float', low: -5, high: 10 }]));

export function rosenbrock(x: readonly number[]): number {
  let f = 0;
  for (let i = 0; i < x.length - 1; i++) f += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return f;
}

export default {
  name: 'rosenbrock5',
  space,
  f: (p: Readonly<FlatParams>): number => rosenbrock(NAMES.map((n) => p[n] as number)),
  min: 0,
};
