/**
 * The per-bar evaluator for the parts of a strategy that depend on the simulated position
 * (position, bars_in_trade, entry_price). Everything below such a node that does not depend
 * on the position is still a column (kernels.ts); only the position-dependent nodes are
 * computed bar by bar, in order, each into its own buffer, so that x[n], crosses and
 * bars_since can read their earlier bars. The simulator drives it through Signals.decide.
 */
import { applyOp, evaluate, keyOf, lane, scalarOf, type EvalEnv, type ParamValues } from './kernels.js';
import type { Node } from './ir.js';

/** The position at the close of the bar being decided. */
export interface Cursor {
  /** +1 long, −1 short, 0 flat. */
  dir: number;
  /** Bar of the entry fill of the open position. */
  entryBar: number;
  entryPrice: number;
}

export type Lane = readonly [Float64Array | Uint8Array, number];

export class BarProgram {
  private readonly steps: ((t: number) => void)[] = [];
  private readonly lanes = new Map<string, Lane>();
  readonly cursor: Cursor = { dir: 0, entryBar: -1, entryPrice: NaN };

  constructor(
    private readonly env: EvalEnv,
    private readonly n: number,
  ) {}

  /** The lane of `node` under the parameter values `p`: a column, a constant, or a buffer filled bar by bar. */
  lane(node: Node, p: ParamValues): Lane {
    if (!node.ty.state) return lane(evaluate(node, p, this.env));
    const key = keyOf(node, p);
    const known = this.lanes.get(key);
    if (known) return known;
    const buf = new Float64Array(this.n);
    const ins = node.args.map((a) => (a.ty.series ? this.lane(a, p) : ([Float64Array.of(scalarOf(a, p)), 0] as const)));
    this.steps.push(this.step(node, buf, ins));
    const l: Lane = [buf, 1];
    this.lanes.set(key, l);
    return l;
  }

  /** Evaluates every position-dependent node at bar t (bars must be visited in ascending order). */
  run(t: number): void {
    for (const s of this.steps) s(t);
  }

  private step(node: Node, buf: Float64Array, ins: readonly Lane[]): (t: number) => void {
    const c = this.cursor;
    const [A, sa] = ins[0] ?? [buf, 0];
    const [B, sb] = ins[1] ?? [buf, 0];
    const [C, sc] = ins[2] ?? [buf, 0];
    switch (node.op) {
      case 'state':
        if (node.name === 'position') return (t) => void (buf[t] = c.dir);
        if (node.name === 'bars_in_trade') return (t) => void (buf[t] = c.dir === 0 ? 0 : t - c.entryBar + 1);
        return (t) => void (buf[t] = c.dir === 0 ? NaN : c.entryPrice);
      case 'offset': {
        const k = B[0] | 0;
        const fill = node.ty.kind === 'bool' ? 0 : NaN;
        return (t) => void (buf[t] = t >= k ? A[(t - k) * sa] : fill);
      }
      case 'crosses_above':
        return (t) => void (buf[t] = t > 0 && A[(t - 1) * sa] < B[(t - 1) * sb] && A[t * sa] > B[t * sb] ? 1 : 0);
      case 'crosses_below':
        return (t) => void (buf[t] = t > 0 && A[(t - 1) * sa] > B[(t - 1) * sb] && A[t * sa] < B[t * sb] ? 1 : 0);
      case 'bars_since':
        return (t) => void (buf[t] = A[t * sa] ? 0 : t > 0 ? buf[t - 1] + 1 : NaN);
      default: {
        const op = node.op;
        return (t) => void (buf[t] = applyOp(op, A[t * sa], B[t * sb], C[t * sc]));
      }
    }
  }
}
