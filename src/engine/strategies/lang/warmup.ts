/**
 * The warm-up a strategy declares: from the indicators' own warm-up rules (indicators.ts),
 * without reading any bar. signals.warmup, measured on the data, is authoritative; on data
 * without flat stretches (which can leave e.g. a z-score undefined) the two agree.
 */
import { scalarOf, type ParamValues } from './kernels.js';
import { walk, type Node } from './ir.js';

/** Index of the first bar at which a series node can be valid. */
export function validFrom(n: Node, v: ParamValues): number {
  switch (n.op) {
    case 'ind': {
      const spec = n.spec!;
      const hasSrc = spec.args[0]?.kind === 'series';
      const s = n.args.slice(hasSrc ? 1 : 0).map((a) => scalarOf(a, v));
      return spec.warmup(s, hasSrc ? validFrom(n.args[0], v) : 0, n.out ?? null);
    }
    case 'offset':
      return validFrom(n.args[0], v) + scalarOf(n.args[1], v);
    default:
      return n.args.reduce((w, a) => Math.max(w, validFrom(a, v)), 0);
  }
}

/** The warm-up bar w of the given decision expressions: the latest first-valid bar of any indicator they use. */
export function declaredWarmup(nodes: readonly Node[], v: ParamValues): number {
  let w = 0;
  for (const root of nodes) walk(root, (n) => {
    if (n.op === 'ind') w = Math.max(w, validFrom(n, v));
  });
  return w;
}
