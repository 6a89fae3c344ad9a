/**
 * A Pratt (precedence-climbing) parser for the expression grammar in grammar.ebnf, with one
 * token of look-ahead. Binding powers, loosest first:
 *   or (1) < and (2) < not (3, prefix) < comparisons (4, non-associative) < + − (5) < * / % (6)
 *   < unary + − (7) < postfix: call, `.member`, `[offset]` (8).
 * Binary operators are left-associative; `a < b < c` is an error (write `a < b and b < c`).
 * The first syntax error ends the parse with an ExprError naming the token and what was expected.
 */
import type { ArithOp, BinaryOp, CompareOp, Expr } from './ast.js';
import { ExprError } from './errors.js';
import { tokenize, type Token } from './lexer.js';

const COMPARE: readonly string[] = ['<', '<=', '>', '>=', '==', '!='] satisfies CompareOp[];
const ADDITIVE: readonly string[] = ['+', '-'] satisfies ArithOp[];
const MULTIPLICATIVE: readonly string[] = ['*', '/', '%'] satisfies ArithOp[];

/** Left binding power of an infix token (0 = not infix). */
function infixPower(t: Token): number {
  if (t.kind === 'keyword') return t.text === 'or' ? 1 : t.text === 'and' ? 2 : 0;
  if (t.kind !== 'op') return 0;
  if (COMPARE.includes(t.text)) return 4;
  if (ADDITIVE.includes(t.text)) return 5;
  if (MULTIPLICATIVE.includes(t.text)) return 6;
  return 0;
}

const START = ['a number', 'a name', 'a function call', '"("', '"-"', '"not"', '"true"', '"false"'];

export function parseExpression(src: string): Expr {
  if (src.trim() === '') throw new ExprError('empty expression', { offset: 0, line: 1, column: 1 }, null, { expected: START });
  const p = new Parser(tokenize(src));
  const e = p.expression(0);
  p.expectEnd();
  return e;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.i];
  }

  private next(): Token {
    return this.toks[this.i++];
  }

  private fail(t: Token, what: string, expected: string[]): never {
    const found = t.kind === 'eof' ? 'the end of the expression' : `"${t.text}"`;
    throw new ExprError(`expected ${what}, found ${found}`, t.pos, t.kind === 'eof' ? null : t.text, { expected });
  }

  private expectOp(text: string, what: string): Token {
    const t = this.next();
    if (t.kind !== 'op' || t.text !== text) this.fail(t, what, [`"${text}"`]);
    return t;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind === 'eof') return;
    const hint = t.kind === 'ident' || t.kind === 'number' || (t.kind === 'op' && t.text === '(') ? ' (an operator such as "and", "+" or "<" is missing before it)' : '';
    throw new ExprError(`unexpected "${t.text}" after a complete expression${hint}`, t.pos, t.text, { expected: ['an operator', 'the end of the expression'] });
  }

  expression(minPower: number): Expr {
    let left = this.prefix(minPower);
    for (;;) {
      const t = this.peek();
      const power = infixPower(t);
      if (power === 0 || power <= minPower) break;
      this.next();
      const right = this.expression(power);
      if (power === 4) {
        const after = this.peek();
        if (infixPower(after) === 4) {
          throw new ExprError(`comparisons do not chain: write "a ${t.text} b and b ${after.text} c"`, after.pos, after.text, { expected: ['"and"', '"or"'] });
        }
      }
      left = { k: 'binary', op: t.text as BinaryOp, left, right, pos: t.pos };
    }
    return left;
  }

  private prefix(minPower: number): Expr {
    const t = this.next();
    if (t.kind === 'keyword') {
      if (t.text === 'not' && minPower > 3) {
        throw new ExprError('"not" cannot follow an arithmetic or comparison operator: put "not …" in parentheses', t.pos, t.text, { expected: ['"("'] });
      }
      if (t.text === 'not') return { k: 'unary', op: 'not', arg: this.expression(3), pos: t.pos };
      if (t.text === 'true' || t.text === 'false') return this.postfix({ k: 'bool', value: t.text === 'true', pos: t.pos });
      this.fail(t, 'an operand', START);
    }
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      return { k: 'unary', op: t.text, arg: this.expression(6), pos: t.pos };
    }
    if (t.kind === 'number') return this.postfix({ k: 'num', value: t.value!, text: t.text, pos: t.pos });
    if (t.kind === 'ident') {
      if (this.peek().kind === 'op' && this.peek().text === '(') {
        this.next();
        const args: Expr[] = [];
        if (!(this.peek().kind === 'op' && this.peek().text === ')')) {
          for (;;) {
            args.push(this.expression(0));
            const sep = this.next();
            if (sep.kind === 'op' && sep.text === ')') break;
            if (!(sep.kind === 'op' && sep.text === ',')) this.fail(sep, `"," or ")" in the arguments of ${t.text}(…)`, ['","', '")"']);
          }
        } else {
          this.next();
        }
        return this.postfix({ k: 'call', name: t.text, args, pos: t.pos });
      }
      return this.postfix({ k: 'name', name: t.text, pos: t.pos });
    }
    if (t.kind === 'op' && t.text === '(') {
      const inner = this.expression(0);
      this.expectOp(')', '")" to close the "("');
      return this.postfix(inner);
    }
    return this.fail(t, 'an operand', START);
  }

  private postfix(e: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') return e;
      if (t.text === '[') {
        this.next();
        const index = this.expression(0);
        this.expectOp(']', '"]" to close the offset');
        e = { k: 'index', object: e, index, pos: t.pos };
      } else if (t.text === '.') {
        this.next();
        const name = this.next();
        if (name.kind !== 'ident') this.fail(name, 'a member name after "."', ['a name such as upper, lower, middle, signal, trend']);
        e = { k: 'member', object: e, name: name.text, pos: name.pos };
      } else if (t.text === '(') {
        throw new ExprError('only a function name can be called: write name(…)', t.pos, t.text, { expected: ['an operator'] });
      } else {
        return e;
      }
    }
  }
}
