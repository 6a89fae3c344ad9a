/**
 * Branin (2-D), OPTIMIZER.md "Reference functions": x0 ∈ [−5, 10], x1 ∈ [0, 15].
 * Minimum 0.39788735772973816 at (−π, 12.275), (π, 2.275) and (9.42478, 2.475).
 */
import type { FlatParams, SearchSpace } from '../../src/engine/optimizer/space.types.js';

const space: SearchSpace = {
  x0: { type: 'float', low: -5, high: 10 },
  x1: { type: 'float', low: 0, high: 15 },
};

export function branin(x0: number, x1: number): number {
  const a = 1;
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const r = 6;
  const s = 10;
  const t = 1 / (8 * Math.PI);
  const u = x1 - b * x0 * x0 + c * x0 - r;
  return a * u * u + s * (1 - t) * Math.cos(x0) + s;
}

export default {
  name: 'branin',
  space,
  f: (p: Readonly<FlatParams>): number => branin(p.x0 as number, p.x1 as number),
  min: 0.39788735772973816,
};
