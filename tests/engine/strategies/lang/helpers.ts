/** Helpers for strategy-language tests: compile or fail loudly, and pick out errors. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileStrategy, compileStrategyText, formatLangError, type LangError, type LangStrategyDef } from '../../../../src/engine/strategies/lang/index.js';
import { REPO_ROOT } from '../../../helpers/shared-data.js';

/** The compiled def of a document (object or YAML text); throws with the formatted errors otherwise. */
export function compiled(doc: unknown): LangStrategyDef {
  const r = typeof doc === 'string' ? compileStrategyText(doc) : compileStrategy(doc);
  if (!r.ok) throw new Error(r.errors.map(formatLangError).join('\n'));
  return r.def;
}

/** The errors of a document that must not compile. */
export function errorsOf(doc: unknown): LangError[] {
  const r = typeof doc === 'string' ? compileStrategyText(doc) : compileStrategy(doc);
  if (r.ok) throw new Error('expected the document to be refused');
  return r.errors;
}

/** A document with the given rules (and optional params/indicators) around them. */
export function doc(rules: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'test_strategy', params: { fast: { type: 'int', default: 10, low: 2, high: 50 }, slow: { type: 'int', default: 30, low: 20, high: 200 } }, ...extra, rules };
}

export function configText(file: string): string {
  return readFileSync(resolve(REPO_ROOT, 'config', 'strategies', file), 'utf8');
}

import type { Candles } from '../../../../src/engine/data/candles.js';
import { Checker } from '../../../../src/engine/strategies/lang/check.js';
import { evaluate, newEnv, type Val } from '../../../../src/engine/strategies/lang/kernels.js';
import { parseExpression } from '../../../../src/engine/strategies/lang/parser.js';
import type { StrategyContext } from '../../../../src/engine/strategies/types.js';

/** The value of one expression (numbers and `params` only as parameters) over the candles, through the column kernels. */
export function seriesOf(expr: string, candles: Candles, params: Record<string, number> = {}, ctx: StrategyContext = {}): { value: Val; warmup: number } {
  const bounds = new Map(Object.entries(params).map(([k, v]) => [k, { type: Number.isInteger(v) ? ('int' as const) : ('float' as const), low: v, high: v }]));
  const node = new Checker({ params: bounds, indicatorNames: [], resolveIndicator: () => { throw new Error('no named indicators here'); } }).check(parseExpression(expr));
  const env = newEnv(candles, ctx);
  const value = evaluate(node, params, env);
  return { value, warmup: env.warmup };
}
