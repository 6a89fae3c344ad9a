/**
 * The checked form of an expression: every name resolved, every node typed. A node is a
 * number or a condition (kind), constant over the bars or a series (series), a whole number
 * or not (int), and independent of or dependent on the simulated position (state). Named
 * indicators are inlined; equal sub-expressions are shared at evaluation time by their key.
 */
import type { ArithOp, CompareOp, LogicOp } from './ast.js';
import type { Pos } from './errors.js';
import type { IndicatorSpec } from './indicators.js';

export interface Ty {
  readonly kind: 'num' | 'bool';
  readonly series: boolean;
  readonly int: boolean;
  readonly state: boolean;
}

export const COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;
export type Column = (typeof COLUMNS)[number];

/** Position state at the close of the current bar, after its fills and stops. */
export const STATE_NAMES = ['position', 'bars_in_trade', 'entry_price'] as const;
export type StateName = (typeof STATE_NAMES)[number];

export type UnaryFn = 'abs' | 'sqrt' | 'exp' | 'log' | 'floor' | 'ceil' | 'round';

export type Op =
  | 'const'
  | 'param'
  | 'col'
  | 'state'
  | 'neg'
  | 'not'
  | UnaryFn
  | ArithOp
  | CompareOp
  | LogicOp
  | 'min'
  | 'max'
  | 'nz'
  | 'if'
  | 'crosses_above'
  | 'crosses_below'
  | 'bars_since'
  | 'offset'
  | 'ind';

export interface Node {
  readonly op: Op;
  readonly args: readonly Node[];
  readonly ty: Ty;
  readonly pos: Pos;
  /** const: the value (a condition as 1/0). */
  readonly value?: number;
  /** param, col, state: the name. */
  readonly name?: string;
  /** ind: the indicator; args are [series input?, ...scalar args]. */
  readonly spec?: IndicatorSpec;
  readonly out?: string | null;
}

export const UNARY_FNS: readonly UnaryFn[] = ['abs', 'sqrt', 'exp', 'log', 'floor', 'ceil', 'round'];

/** Every function name of the language besides the indicators. */
export const FUNCTIONS: Readonly<Record<string, string>> = {
  crosses_above: 'crosses_above(a, b): a was below b on the previous bar and is above it now (strict both times)',
  crosses_below: 'crosses_below(a, b): a was above b on the previous bar and is below it now (strict both times)',
  bars_since: 'bars_since(cond): bars since cond was last true (0 on a bar where it is true; NaN before it ever was)',
  if: 'if(cond, a, b): a where cond holds, else b',
  nz: 'nz(x, v = 0): x, or v where x is NaN or infinite',
  min: 'min(a, b)',
  max: 'max(a, b)',
  abs: 'abs(x)',
  sqrt: 'sqrt(x)',
  exp: 'exp(x)',
  log: 'log(x): natural logarithm',
  floor: 'floor(x)',
  ceil: 'ceil(x)',
  round: 'round(x): to the nearest integer, halves up',
};

/** Does any node of the tree satisfy `pred`? */
export function some(n: Node, pred: (n: Node) => boolean): boolean {
  return pred(n) || n.args.some((a) => some(a, pred));
}

/** Visits every node once per occurrence, children first. */
export function walk(n: Node, visit: (n: Node) => void): void {
  for (const a of n.args) walk(a, visit);
  visit(n);
}
