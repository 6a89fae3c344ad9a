/**
 * Where the bias checks probe (bias.ts): cut points for the look-ahead check and start
 * offsets for the warm-up check, seeded and spread over the series. The range is split into
 * `k` equal strata and one bar is drawn in each, a bar with an entry or exit decision when
 * the stratum has one (a leak shows at decision bars), any bar otherwise.
 */
import type { Rng } from '../random.js';
import { decidesAt, type Decisions } from './bias-compare.js';

/** Up to k distinct bars in [lo, hi], ascending, one per stratum. */
export function spreadPoints(lo: number, hi: number, k: number, rng: Rng, d?: Decisions): number[] {
  if (hi < lo || k <= 0) return [];
  const width = hi - lo + 1;
  const strata = Math.min(k, width);
  const out = new Set<number>();
  for (let i = 0; i < strata; i++) {
    const a = lo + Math.floor((i * width) / strata);
    const b = lo + Math.floor(((i + 1) * width) / strata) - 1;
    const candidates: number[] = [];
    if (d) for (let t = a; t <= b; t++) if (decidesAt(d, t)) candidates.push(t);
    out.add(candidates.length > 0 ? candidates[rng.int(0, candidates.length - 1)] : rng.int(a, b));
  }
  return [...out].sort((x, y) => x - y);
}
