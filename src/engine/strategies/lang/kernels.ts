/**
 * Column kernels: a checked expression that does not depend on the position is evaluated over
 * the whole series at once, one typed-array loop per node (no per-bar walk of the tree). A
 * number series is a Float64Array, a condition series a Uint8Array of 0/1, a constant a
 * number. Equal sub-expressions (same text once the parameter values are substituted) are
 * evaluated once per signals() call (the memo); indicators are also kept in the strategy
 * context's IndicatorCache across calls (indicators.ts).
 *
 * Comparisons with NaN are false (warm-up bars never satisfy a rule); arithmetic follows IEEE
 * (NaN propagates, x/0 is ±Infinity or NaN).
 */
import type { Candles } from '../../data/candles.js';
import { firstValid } from '../../indicators/util.js';
import type { StrategyContext } from '../types.js';
import type { Node } from './ir.js';

export type Val = number | Float64Array | Uint8Array;
export type ParamValues = Readonly<Record<string, number | boolean>>;

export interface EvalEnv {
  readonly candles: Candles;
  readonly ctx: StrategyContext;
  readonly memo: Map<string, Val>;
  /** First-valid index of every indicator evaluated, by key. */
  readonly firstValid: Map<string, number>;
  /** Max first-valid index over the indicators evaluated so far (the warm-up). */
  warmup: number;
}

export function newEnv(candles: Candles, ctx: StrategyContext): EvalEnv {
  return { candles, ctx, memo: new Map(), firstValid: new Map(), warmup: 0 };
}

/** One operation on plain numbers (conditions as 1/0): constants and the per-bar evaluator use it. */
export function applyOp(op: Node['op'], a: number, b: number, c: number): number {
  switch (op) {
    case 'neg':
      return -a;
    case 'not':
      return a ? 0 : 1;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case 'and':
      return a && b ? 1 : 0;
    case 'or':
      return a || b ? 1 : 0;
    case 'min':
      return Math.min(a, b);
    case 'max':
      return Math.max(a, b);
    case 'nz':
      return Number.isFinite(a) ? a : b;
    case 'if':
      return a ? b : c;
    case 'abs':
    case 'sqrt':
    case 'exp':
    case 'log':
    case 'floor':
    case 'ceil':
    case 'round':
      return Math[op](a);
    default:
      throw new Error(`applyOp: ${op} is not an operation on numbers`);
  }
}

/** The value of a constant expression for the given parameter values (a condition as 1/0). */
export function scalarOf(n: Node, p: ParamValues): number {
  if (n.op === 'const') return n.value!;
  if (n.op === 'param') return Number(p[n.name!]);
  const [a, b, c] = n.args.map((x) => scalarOf(x, p));
  return applyOp(n.op, a, b, c);
}

/** Canonical text of `n` with parameter values substituted: the memo key, and the cache key of a derived indicator input. */
export function keyOf(n: Node, p: ParamValues): string {
  if (!n.ty.series) return String(scalarOf(n, p));
  const k = n.args.map((a) => keyOf(a, p));
  switch (n.op) {
    case 'col':
    case 'state':
      return n.name!;
    case 'ind':
      return `${n.spec!.name}(${k.join(', ')})${n.out ? `.${n.out}` : ''}`;
    case 'offset':
      return `${k[0]}[${k[1]}]`;
    case 'neg':
      return `-(${k[0]})`;
    case 'not':
      return `not(${k[0]})`;
    default:
      return n.args.length === 2 && !/^[a-z_]+$/.test(n.op) ? `(${k[0]} ${n.op} ${k[1]})` : `${n.op}(${k.join(', ')})`;
  }
}

/** Evaluates a node that does not depend on the position. */
export function evaluate(n: Node, p: ParamValues, env: EvalEnv): Val {
  if (!n.ty.series) return scalarOf(n, p);
  if (n.ty.state) throw new Error(`evaluate: ${n.op} depends on the position (use the per-bar evaluator)`);
  const key = keyOf(n, p);
  let v = env.memo.get(key);
  if (v === undefined) {
    v = compute(n, p, env);
    env.memo.set(key, v);
    if (n.op === 'ind') env.firstValid.set(key, firstValid(v as Float64Array));
  }
  if (n.op === 'ind') env.warmup = Math.max(env.warmup, env.firstValid.get(key)!);
  return v;
}

function compute(n: Node, p: ParamValues, env: EvalEnv): Val {
  const len = env.candles.close.length;
  if (n.op === 'col') return env.candles[n.name as 'close'];
  if (n.op === 'ind') {
    const spec = n.spec!;
    const hasSrc = spec.args[0]?.kind === 'series';
    const src = hasSrc ? (evaluate(n.args[0], p, env) as Float64Array) : null;
    const srcKey = hasSrc ? (n.args[0].op === 'col' ? n.args[0].name! : keyOf(n.args[0], p)) : '';
    // periods as int32: a whole number held as a double (as parsed from a document) would make
    // V8 index the indicator's arrays with doubles, several times slower
    const s = n.args.slice(hasSrc ? 1 : 0).map((a, i) => (spec.args[i + (hasSrc ? 1 : 0)].kind === 'period' ? scalarOf(a, p) | 0 : scalarOf(a, p)));
    return spec.compute({ candles: env.candles, ctx: env.ctx, src, srcKey, s }, n.out ?? null);
  }
  const args = n.args.map((a) => evaluate(a, p, env));
  if (n.op === 'if' || n.op === 'offset') {
    // the same loop for numbers and conditions; a condition's missing past is false, a number's NaN
    const out = n.ty.kind === 'bool' ? new Uint8Array(len) : new Float64Array(len);
    const [A, sa] = lane(args[0]);
    if (n.op === 'offset') {
      const k = (args[1] as number) | 0;
      if (n.ty.kind === 'num') out.fill(NaN, 0, Math.min(k, len));
      for (let i = k; i < len; i++) out[i] = A[i - k];
    } else {
      const [B, sb] = lane(args[1]);
      const [C, sc] = lane(args[2]);
      for (let i = 0; i < len; i++) out[i] = A[i * sa] ? B[i * sb] : C[i * sc];
    }
    return out;
  }
  return n.ty.kind === 'bool' ? boolKernel(n, args, len) : numKernel(n, args, len);
}

/** An array and its stride: a constant is read as a one-element array with stride 0. */
export function lane(v: Val): [Float64Array | Uint8Array, number] {
  return typeof v === 'number' ? [Float64Array.of(v), 0] : [v, 1];
}

function numKernel(n: Node, args: Val[], len: number): Float64Array {
  const out = new Float64Array(len);
  const [A, sa] = lane(args[0]);
  const [B, sb] = args.length > 1 ? lane(args[1]) : [A, 0];
  switch (n.op) {
    case 'neg':
      for (let i = 0; i < len; i++) out[i] = -A[i * sa];
      return out;
    case '+':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] + B[i * sb];
      return out;
    case '-':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] - B[i * sb];
      return out;
    case '*':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] * B[i * sb];
      return out;
    case '/':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] / B[i * sb];
      return out;
    case '%':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] % B[i * sb];
      return out;
    case 'min':
      for (let i = 0; i < len; i++) out[i] = Math.min(A[i * sa], B[i * sb]);
      return out;
    case 'max':
      for (let i = 0; i < len; i++) out[i] = Math.max(A[i * sa], B[i * sb]);
      return out;
    case 'nz':
      for (let i = 0; i < len; i++) {
        const x = A[i * sa];
        out[i] = Number.isFinite(x) ? x : B[0];
      }
      return out;
    case 'bars_since': {
      let last = -1;
      for (let i = 0; i < len; i++) {
        if (A[i]) last = i;
        out[i] = last < 0 ? NaN : i - last;
      }
      return out;
    }
    case 'round':
    case 'abs':
    case 'sqrt':
    case 'exp':
    case 'log':
    case 'floor':
    case 'ceil': {
      const f = Math[n.op];
      for (let i = 0; i < len; i++) out[i] = f(A[i * sa]);
      return out;
    }
    default:
      throw new Error(`numKernel: unexpected ${n.op}`);
  }
}

function boolKernel(n: Node, args: Val[], len: number): Uint8Array {
  const out = new Uint8Array(len);
  const [A, sa] = lane(args[0]);
  const [B, sb] = args.length > 1 ? lane(args[1]) : [A, 0];
  switch (n.op) {
    case 'not':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] ? 0 : 1;
      return out;
    case 'and':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] & B[i * sb];
      return out;
    case 'or':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] | B[i * sb];
      return out;
    case '<':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] < B[i * sb] ? 1 : 0;
      return out;
    case '<=':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] <= B[i * sb] ? 1 : 0;
      return out;
    case '>':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] > B[i * sb] ? 1 : 0;
      return out;
    case '>=':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] >= B[i * sb] ? 1 : 0;
      return out;
    case '==':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] === B[i * sb] ? 1 : 0;
      return out;
    case '!=':
      for (let i = 0; i < len; i++) out[i] = A[i * sa] !== B[i * sb] ? 1 : 0;
      return out;
    case 'crosses_above':
    case 'crosses_below': {
      // branchless, carrying the previous bar's values: crosses are rare and the && version
      // pays for a branch per bar; below = above with the operands swapped
      const [X, sx, Y, sy] = n.op === 'crosses_above' ? [A, sa, B, sb] : [B, sb, A, sa];
      let xp = X[0];
      let yp = Y[0];
      if (sx === 1 && sy === 1) {
        // two series (the usual case): no stride arithmetic in the loop
        for (let i = 1; i < len; i++) {
          const x = X[i];
          const y = Y[i];
          out[i] = +(xp < yp) & +(x > y);
          xp = x;
          yp = y;
        }
        return out;
      }
      for (let i = 1; i < len; i++) {
        const x = X[i * sx];
        const y = Y[i * sy];
        out[i] = +(xp < yp) & +(x > y);
        xp = x;
        yp = y;
      }
      return out;
    }
    default:
      throw new Error(`boolKernel: unexpected ${n.op}`);
  }
}
