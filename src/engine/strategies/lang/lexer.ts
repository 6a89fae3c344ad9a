/**
 * The lexer of the expression language (lexical part of grammar.ebnf): numbers, identifiers,
 * the keywords `and or not true false`, operators and brackets. Whitespace, newlines included,
 * separates tokens. Tokens other languages use for the same thing (`&&`, `||`, `!`, `=`, `**`,
 * `^`) are recognised only to say what to write instead.
 */
import { ExprError, type Pos } from './errors.js';

export const KEYWORDS = ['and', 'or', 'not', 'true', 'false'] as const;

/** Operators and punctuation of the grammar, longest first. */
export const OPERATORS = ['<=', '>=', '==', '!=', '<', '>', '+', '-', '*', '/', '%', '(', ')', '[', ']', ',', '.'] as const;

/** Tokens of other languages, with the fix. */
const FOREIGN: readonly (readonly [string, string])[] = [
  ['&&', 'write "and" instead of "&&"'],
  ['||', 'write "or" instead of "||"'],
  ['**', 'there is no power operator; use sqrt(x), exp(x) or log(x), or multiply'],
  ['^', 'there is no power operator; use sqrt(x), exp(x) or log(x), or multiply'],
  ['!', 'write "not" instead of "!"'],
  ['=', 'write "==" to compare ("=" is not an operator)'],
  ['&', 'write "and" instead of "&"'],
  ['|', 'write "or" instead of "|"'],
];

export type TokenKind = 'number' | 'ident' | 'keyword' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The exact source text. */
  readonly text: string;
  readonly pos: Pos;
  /** Numeric value of a number token. */
  readonly value?: number;
}

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const WORD = /[A-Za-z0-9_.]+/y;

function match(re: RegExp, src: string, at: number): string | null {
  re.lastIndex = at;
  const m = re.exec(src);
  return m ? m[0] : null;
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (offset: number): Pos => ({ offset, line, column: offset - lineStart + 1 });
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    const num = match(NUMBER, src, i);
    if (num !== null) {
      const text = num;
      if (match(IDENT, src, i + text.length) !== null) {
        const word = match(WORD, src, i)!;
        throw new ExprError(`"${word}" is not a number or a name (a name cannot start with a digit)`, pos(i), word);
      }
      out.push({ kind: 'number', text, pos: pos(i), value: Number(text) });
      i += text.length;
      continue;
    }
    const text = match(IDENT, src, i);
    if (text !== null) {
      const kind = (KEYWORDS as readonly string[]).includes(text) ? 'keyword' : 'ident';
      out.push({ kind, text, pos: pos(i) });
      i += text.length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    const foreign = FOREIGN.find(([f]) => src.startsWith(f, i));
    if (op && !(foreign && foreign[0].length > op.length)) {
      out.push({ kind: 'op', text: op, pos: pos(i) });
      i += op.length;
      continue;
    }
    if (foreign) throw new ExprError(`"${foreign[0]}" is not an operator here: ${foreign[1]}`, pos(i), foreign[0]);
    const quote = ch === '"' || ch === "'" ? '; the language has no strings' : '';
    throw new ExprError(`unexpected character "${ch}"${quote}`, pos(i), ch);
  }
  out.push({ kind: 'eof', text: '', pos: pos(i) });
  return out;
}
