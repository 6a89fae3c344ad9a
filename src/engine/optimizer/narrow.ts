/**
 * Coarse → fine: shrink each numeric parameter's range around the best trials of a coarse
 * pass, so that a fine TPE pass searches where the coarse pass found good results.
 *
 * For each numeric parameter, in the internal (log for `log`) space: the new width is
 * max(factor · old width, spread of the best values), centred on the middle of the best
 * values and shifted (not cut) to stay inside the old bounds; then snapped outward onto the
 * old step grid, so every value of the new space is a value of the old one. Categorical
 * parameters keep all their choices (a coarse pass rarely proves a choice useless).
 */
import { dimsOf, SpaceError, gridValue, toInternal } from './space.js';
import type { FlatParams, ParamSpec, SearchSpace } from './space.types.js';

export function narrowSpace(space: SearchSpace, best: readonly Readonly<FlatParams>[], factor: number): SearchSpace {
  if (!(factor > 0 && factor <= 1)) throw new SpaceError('', `narrowSpace: factor must be in (0, 1], got ${factor}`);
  if (best.length === 0) throw new SpaceError('', 'narrowSpace: need at least one best trial to narrow around');
  const out: Record<string, ParamSpec> = {};
  for (const dim of dimsOf(space)) {
    const spec = dim.spec;
    if (spec.type === 'categorical' || dim.low === dim.high) {
      out[dim.name] = spec;
      continue;
    }
    const xs = best.map((p) => toInternal(dim, p[dim.name] ?? null)).filter((x) => Number.isFinite(x));
    if (xs.length === 0) throw new SpaceError(dim.name, 'narrowSpace: none of the best trials has a value for this parameter');
    const lo0 = dim.log ? Math.log(dim.low) : dim.low;
    const hi0 = dim.log ? Math.log(dim.high) : dim.high;
    const bMin = Math.min(...xs);
    const bMax = Math.max(...xs);
    const width = Math.min(hi0 - lo0, Math.max(factor * (hi0 - lo0), bMax - bMin));
    let lo = (bMin + bMax) / 2 - width / 2;
    let hi = lo + width;
    if (lo < lo0) {
      hi += lo0 - lo;
      lo = lo0;
    }
    if (hi > hi0) {
      lo -= hi - hi0;
      hi = hi0;
    }
    lo = Math.max(lo0, lo);
    let low = dim.log ? Math.exp(lo) : lo;
    let high = dim.log ? Math.exp(hi) : hi;
    if (dim.step !== null) {
      const kLo = Math.max(0, Math.floor((low - dim.low) / dim.step + 1e-9));
      const kHi = Math.min(dim.size - 1, Math.ceil((high - dim.low) / dim.step - 1e-9));
      low = spec.type === 'int' ? dim.low + kLo * dim.step : gridValue(dim.low, dim.step, kLo);
      high = spec.type === 'int' ? dim.low + kHi * dim.step : gridValue(dim.low, dim.step, kHi);
    } else {
      low = Math.max(dim.low, Math.min(dim.high, low));
      high = Math.max(low, Math.min(dim.high, high));
    }
    const next: { type: 'float' | 'int'; low: number; high: number; step?: number; log?: boolean } = { type: spec.type, low, high };
    if (spec.step !== undefined) next.step = spec.step;
    if (spec.log === true) next.log = true;
    out[dim.name] = Object.freeze(next) as ParamSpec;
  }
  return Object.freeze(out);
}
