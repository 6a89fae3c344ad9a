/** The syntax tree of one expression, as the parser builds it (names are resolved later, by check.ts). */
import type { Pos } from './errors.js';

export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type ArithOp = '+' | '-' | '*' | '/' | '%';
export type LogicOp = 'and' | 'or';
export type BinaryOp = CompareOp | ArithOp | LogicOp;

export type Expr =
  | { readonly k: 'num'; readonly value: number; readonly text: string; readonly pos: Pos }
  | { readonly k: 'bool'; readonly value: boolean; readonly pos: Pos }
  | { readonly k: 'name'; readonly name: string; readonly pos: Pos }
  /** `name(args)`: pos is the name's. */
  | { readonly k: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly pos: Pos }
  /** `object.name`: pos is the member name's. */
  | { readonly k: 'member'; readonly object: Expr; readonly name: string; readonly pos: Pos }
  /** `object[index]` (a past value): pos is the `[`. */
  | { readonly k: 'index'; readonly object: Expr; readonly index: Expr; readonly pos: Pos }
  | { readonly k: 'unary'; readonly op: '-' | '+' | 'not'; readonly arg: Expr; readonly pos: Pos }
  | { readonly k: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly pos: Pos };

/** The expression's text in the canonical form: single spaces around binary operators, parentheses only where needed. */
export function printExpr(e: Expr): string {
  return print(e, 0);
}

const PREC: Record<BinaryOp, number> = {
  or: 1, and: 2, '<': 4, '<=': 4, '>': 4, '>=': 4, '==': 4, '!=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6,
};

/** Binding power of an expression's top node (postfix and atoms bind tightest). */
function prec(e: Expr): number {
  if (e.k === 'binary') return PREC[e.op];
  if (e.k === 'unary') return e.op === 'not' ? 3 : 7;
  return 8;
}

function print(e: Expr, min: number): string {
  let s: string;
  switch (e.k) {
    case 'num':
      s = String(e.value);
      break;
    case 'bool':
      s = String(e.value);
      break;
    case 'name':
      s = e.name;
      break;
    case 'call':
      s = `${e.name}(${e.args.map((a) => print(a, 0)).join(', ')})`;
      break;
    case 'member':
      s = `${print(e.object, 8)}.${e.name}`;
      break;
    case 'index':
      s = `${print(e.object, 8)}[${print(e.index, 0)}]`;
      break;
    case 'unary':
      s = e.op === 'not' ? `not ${print(e.arg, 3)}` : `${e.op}${print(e.arg, 7)}`;
      break;
    case 'binary': {
      const p = PREC[e.op];
      // left-associative; comparisons do not chain, so both sides of one bind tighter
      const lmin = p === 4 ? p + 1 : p;
      s = `${print(e.left, lmin)} ${e.op} ${print(e.right, p + 1)}`;
      break;
    }
  }
  return prec(e) < min ? `(${s})` : s;
}
