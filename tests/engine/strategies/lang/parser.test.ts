/** The expression parser: precedence and associativity, positions, and errors that name the token. */
import { describe, expect, it } from 'vitest';
import { printExpr, type Expr } from '../../../../src/engine/strategies/lang/ast.js';
import { ExprError } from '../../../../src/engine/strategies/lang/errors.js';
import { tokenize } from '../../../../src/engine/strategies/lang/lexer.js';
import { parseExpression } from '../../../../src/engine/strategies/lang/parser.js';

/** Fully parenthesised form: shows exactly how the parser grouped the expression. */
function groups(e: Expr): string {
  switch (e.k) {
    case 'num':
      return e.text;
    case 'bool':
      return String(e.value);
    case 'name':
      return e.name;
    case 'call':
      return `${e.name}(${e.args.map(groups).join(', ')})`;
    case 'member':
      return `${groups(e.object)}.${e.name}`;
    case 'index':
      return `${groups(e.object)}[${groups(e.index)}]`;
    case 'unary':
      return `(${e.op} ${groups(e.arg)})`;
    case 'binary':
      return `(${groups(e.left)} ${e.op} ${groups(e.right)})`;
  }
}

function parseError(src: string): ExprError {
  try {
    parseExpression(src);
  } catch (e) {
    if (e instanceof ExprError) return e;
    throw e;
  }
  throw new Error(`parsed: ${src}`);
}

describe('parseExpression', () => {
  it.each([
    ['a or b and c', '(a or (b and c))'],
    ['not a and b', '((not a) and b)'],
    ['not a < b', '(not (a < b))'],
    ['not not a', '(not (not a))'],
    ['a + b * c', '(a + (b * c))'],
    ['a - b - c', '((a - b) - c)'],
    ['a / b * c % d', '(((a / b) * c) % d)'],
    ['-a * b', '((- a) * b)'],
    ['-a[1]', '(- a[1])'],
    ['a < b + 1 and c >= d', '((a < (b + 1)) and (c >= d))'],
    ['x == 1 or x != 2', '((x == 1) or (x != 2))'],
    ['bollinger(close, 20, 2).upper[1]', 'bollinger(close, 20, 2).upper[1]'],
    ['macd(close, 12, 26, 9).signal', 'macd(close, 12, 26, 9).signal'],
    ['crosses_above(sma(close, fast), sma(close, slow))', 'crosses_above(sma(close, fast), sma(close, slow))'],
    ['obv()', 'obv()'],
    ['(a or b) and c', '((a or b) and c)'],
    ['1.5e-3 * .5 + 2.', '((1.5e-3 * .5) + 2.)'],
    ['a <\n  b', '(a < b)'],
  ])('%s groups as %s', (src, want) => {
    expect(groups(parseExpression(src))).toBe(want);
  });

  it('prints a canonical form that parses back to the same tree', () => {
    for (const src of ['not (a < b)', 'a - (b - c)', '-(-x)', '(a + b) * c', 'r<lower', 'sma( close ,fast )[ 2 ]', 'not (a or b) and c']) {
      const e = parseExpression(src);
      const printed = printExpr(e);
      expect(groups(parseExpression(printed)), `${src} → ${printed}`).toBe(groups(e));
    }
    expect(printExpr(parseExpression('r<lower'))).toBe('r < lower');
  });

  it('records 1-based line and column of every token', () => {
    const toks = tokenize('a <\n  sma(close, 5)');
    expect(toks.map((t) => [t.text, t.pos.line, t.pos.column])).toEqual([
      ['a', 1, 1],
      ['<', 1, 3],
      ['sma', 2, 3],
      ['(', 2, 6],
      ['close', 2, 7],
      [',', 2, 12],
      ['5', 2, 14],
      [')', 2, 15],
      ['', 2, 16],
    ]);
  });

  it.each([
    ['a < b < c', 1, 7, '<', 'comparisons do not chain'],
    ['a && b', 1, 3, '&&', 'write "and"'],
    ['a || b', 1, 3, '||', 'write "or"'],
    ['!a', 1, 1, '!', 'write "not"'],
    ['a = b', 1, 3, '=', 'write "=="'],
    ['a ** 2', 1, 3, '**', 'no power operator'],
    ['a +', 1, 4, null, 'expected an operand, found the end of the expression'],
    ['sma(close 5)', 1, 11, '5', 'expected "," or ")"'],
    ['rsi(close, 14) 30', 1, 16, '30', 'an operator such as'],
    ['(a < b', 1, 7, null, '")" to close'],
    ['x[1', 1, 4, null, '"]" to close'],
    ['2x', 1, 1, '2x', 'cannot start with a digit'],
    ['a + not b', 1, 5, 'not', 'put "not …" in parentheses'],
    ["close > 'x'", 1, 9, "'", 'no strings'],
    ['close.', 1, 7, null, 'a member name'],
    ['(a)(b)', 1, 4, '(', 'only a function name can be called'],
    ['a <\n  > b', 2, 3, '>', 'expected an operand'],
  ])('%j: error at line %i, column %i, token %j', (src, line, column, token, text) => {
    const e = parseError(src);
    expect([e.pos.line, e.pos.column, e.token]).toEqual([line, column, token]);
    expect(e.message).toContain(text);
  });

  it('an empty expression is an error', () => {
    expect(parseError('  ').message).toContain('empty expression');
  });
});
