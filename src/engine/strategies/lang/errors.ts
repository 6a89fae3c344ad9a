/**
 * Errors of the strategy language, shaped so that a model can fix each one in one step: where
 * (the document path, and the line and column inside the expression), what (the offending
 * token), why (the message) and what would be accepted (`expected`, `did_you_mean`).
 */
import { closestName } from '../suggest.js';

export interface LangError {
  /** Dotted path of the offending part of the document, e.g. `rules.long_entry`, `params.fast.default`. */
  readonly path: string;
  /** 1-based line inside the expression text; 0 when the error is not inside an expression. */
  readonly line: number;
  /** 1-based column inside the expression text; 0 when the error is not inside an expression. */
  readonly column: number;
  /** The offending token or key, or null (e.g. a missing part). */
  readonly token: string | null;
  readonly message: string;
  /** What would be accepted at that place (names, keys, token kinds). */
  readonly expected?: string[];
  readonly did_you_mean?: string;
  /** Line and column in the YAML/JSON text, when the document came from `parseStrategyText`. */
  readonly doc_line?: number;
  readonly doc_column?: number;
}

/** A position inside an expression's text (offset 0-based, line and column 1-based). */
export interface Pos {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export const NO_POS: Pos = Object.freeze({ offset: 0, line: 0, column: 0 });

/** Thrown inside the lexer/parser/checker of one expression; caught per expression and turned into a LangError. */
export class ExprError extends Error {
  constructor(
    message: string,
    readonly pos: Pos,
    readonly token: string | null,
    readonly extra: { expected?: string[]; did_you_mean?: string } = {},
  ) {
    super(message);
    this.name = 'ExprError';
  }
}

/** The LangError of an ExprError raised in the expression at `path`. */
export function fromExprError(path: string, e: ExprError): LangError {
  return {
    path,
    line: e.pos.line,
    column: e.pos.column,
    token: e.token,
    message: e.message,
    ...(e.extra.expected ? { expected: e.extra.expected } : {}),
    ...(e.extra.did_you_mean !== undefined ? { did_you_mean: e.extra.did_you_mean } : {}),
  };
}

/** A document-level error (not inside an expression). */
export function docError(path: string, token: string | null, message: string, extra: { expected?: string[]; did_you_mean?: string } = {}): LangError {
  return { path, line: 0, column: 0, token, message, ...extra };
}

/** `{did_you_mean, expected}` for an unknown `value` among `known` (did_you_mean only when one is close). */
export function suggestion(value: string, known: readonly string[]): { expected: string[]; did_you_mean?: string } {
  const s = closestName(value, known);
  return s === undefined ? { expected: [...known] } : { expected: [...known], did_you_mean: s };
}

/** One line a person or a model reads: `rules.long_entry, line 1, column 5, at "rsii": unknown name …; did you mean "rsi"?`. */
export function formatLangError(e: LangError): string {
  const where = [e.path];
  if (e.line > 0) where.push(`line ${e.line}, column ${e.column}`);
  if (e.doc_line !== undefined) where.push(`document line ${e.doc_line}`);
  const at = e.token !== null ? ` at "${e.token}"` : '';
  const dym = e.did_you_mean !== undefined && !e.message.includes('did you mean') ? `; did you mean "${e.did_you_mean}"?` : '';
  const exp = e.expected && e.expected.length > 0 && !e.message.includes('accepted') ? `; accepted: ${e.expected.join(', ')}` : '';
  return `${where.join(', ')}${at}: ${e.message}${dym}${exp}`;
}
