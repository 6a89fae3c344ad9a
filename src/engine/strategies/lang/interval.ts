/**
 * Interval arithmetic over the declared parameter bounds: the range a constant expression
 * can take for any parameter value a study may try. It lets the checker refuse, before
 * anything runs, an offset that could be negative or a period that could leave its range.
 */
import type { Node } from './ir.js';

export interface ParamBounds {
  readonly type: 'int' | 'float' | 'bool';
  readonly low: number;
  readonly high: number;
}

type Iv = readonly [number, number];
const ALL: Iv = [-Infinity, Infinity];

function mul(a: Iv, b: Iv): Iv {
  const p = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]].map((x) => (Number.isNaN(x) ? 0 : x));
  return [Math.min(...p), Math.max(...p)];
}

/** [lowest, highest] value of the constant expression `n` (±Infinity when unknown). */
export function interval(n: Node, params: ReadonlyMap<string, ParamBounds>): Iv {
  const [a, b] = n.args.map((x) => interval(x, params));
  switch (n.op) {
    case 'const':
      return [n.value!, n.value!];
    case 'param': {
      const p = params.get(n.name!);
      return p ? [p.low, p.high] : ALL;
    }
    case 'neg':
      return [-a[1], -a[0]];
    case '+':
      return [a[0] + b[0], a[1] + b[1]];
    case '-':
      return [a[0] - b[1], a[1] - b[0]];
    case '*':
      return mul(a, b);
    case '/':
      return b[0] > 0 || b[1] < 0 ? mul(a, [1 / b[1], 1 / b[0]]) : ALL;
    case 'min':
      return [Math.min(a[0], b[0]), Math.min(a[1], b[1])];
    case 'max':
      return [Math.max(a[0], b[0]), Math.max(a[1], b[1])];
    case 'abs':
      return a[0] >= 0 ? a : a[1] <= 0 ? [-a[1], -a[0]] : [0, Math.max(-a[0], a[1])];
    case 'floor':
      return [Math.floor(a[0]), Math.floor(a[1])];
    case 'ceil':
      return [Math.ceil(a[0]), Math.ceil(a[1])];
    case 'round':
      return [Math.round(a[0]), Math.round(a[1])];
    case 'if': {
      const [, x, y] = n.args.map((v) => interval(v, params));
      return [Math.min(x[0], y[0]), Math.max(x[1], y[1])];
    }
    default:
      return ALL;
  }
}
