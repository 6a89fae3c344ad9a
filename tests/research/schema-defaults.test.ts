/**
 * Each default in one place: the input schemas. For every tool argument (and every key below
 * it) whose JSON Schema shows a default — the tools/list and tradelab://docs/tools/{name}
 * text come from it — the parser fills in that same value; the few defaults resolved later
 * (the execution keys, which the `profile` changes; a batch's ranking options, which a
 * scenario may supply) are listed here and checked against the code that applies them.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_EXECUTION } from '../../src/engine/backtest/types.js';
import { planBatch } from '../../src/research/batch/expand.js';
import type { UserError } from '../../src/research/errors.js';
import { BATCH_DEFAULTS } from '../../src/research/batch/spec.js';
import { resolveExecution } from '../../src/research/execution.js';
import { parseTask } from '../../src/research/optimize/index.js';
import { parseWalkForward } from '../../src/research/walk-forward/index.js';
import { ALL_TOOLS } from '../../src/tools/index.js';

interface Field {
  readonly path: string;
  readonly schema: z.ZodType;
}

/** Every field below an input object, through optional / default / nullable wrappers, arrays and objects. */
function fields(schema: z.ZodType, path: string, out: Field[]): Field[] {
  out.push({ path, schema });
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else break;
  }
  if (s instanceof z.ZodObject) for (const [k, v] of Object.entries(s.shape)) fields(v as z.ZodType, path ? `${path}.${k}` : k, out);
  if (s instanceof z.ZodArray) fields(s.element as z.ZodType, `${path}[]`, out);
  return out;
}

const documentedDefault = (s: z.ZodType): unknown => (z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as { default?: unknown }).default;

/** Defaults resolved after parsing, by the code checked below. */
const RESOLVED_LATER = /(^|\.)execution\.|^(items\[\]\.)?(rank_by|top)$/;

describe('input defaults', () => {
  const all = ALL_TOOLS.flatMap((def) => fields(z.object(def.inputSchema), '', []).filter((f) => f.path !== '').map((f) => ({ tool: def.name, ...f })));

  it('every default a tool documents is the value its parser fills in', () => {
    let checked = 0;
    for (const { tool, path, schema } of all) {
      const doc = documentedDefault(schema);
      if (doc === undefined) continue;
      if (RESOLVED_LATER.test(path) && !(schema instanceof z.ZodDefault)) continue;
      expect({ tool, path, applied: schema.parse(undefined) }).toEqual({ tool, path, applied: doc });
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('the defaults resolved later are the documented ones', () => {
    const later = all.filter((f) => documentedDefault(f.schema) !== undefined && !(f.schema instanceof z.ZodDefault));
    expect(later.length).toBeGreaterThan(0);
    for (const f of later) expect(f.path).toMatch(RESOLVED_LATER);
    const exec = resolveExecution({});
    for (const f of later.filter((x) => x.path.includes('execution.'))) {
      const key = f.path.split('.').at(-1) as keyof typeof DEFAULT_EXECUTION;
      expect({ key, value: exec[key] }).toEqual({ key, value: documentedDefault(f.schema) });
    }
    const plan = planBatch({ strategy: 'sma_cross', symbols: ['DEMO-BTC'], timeframes: ['1h'] }, 100);
    expect({ rank_by: plan.rank_by, top: plan.top }).toEqual(BATCH_DEFAULTS);
  });

  it('optimize and walk_forward: n_trials, refine and validate defaults come from the schema', () => {
    const t = parseTask({ strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', refine: { n_trials: 10 }, validate: { top_k: 2, holdout: { from: '2024-01-01' } } });
    expect(t).toMatchObject({ n_trials: 100, top: 5, seed: 0, n_jobs: 1, checkpoints: 20, sampler: 'tpe', pruner: 'none', objective: 'sharpe' });
    expect(t.refine).toEqual({ n_trials: 10, top: 5, factor: 0.3, sampler: 'tpe' });
    expect(t.validate).toMatchObject({ min_sharpe: 0, min_trades: 1 });
    expect(parseWalkForward({ strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', is: 100, oos: 50 })).toMatchObject({ n_trials: 40, mode: 'rolling', purge: 0, embargo: 0 });
  });

  it('refuses an out-of-range value when the arguments are parsed, naming the field, the bound and the value', () => {
    const base = { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h' };
    const refused = (input: Record<string, unknown>): UserError => {
      try {
        parseTask(input);
      } catch (e) {
        return e as UserError;
      }
      throw new Error('accepted');
    };
    const e = refused({ ...base, refine: { n_trials: 10, factor: 5 } });
    expect(e.message).toBe('invalid task: refine.factor: Too big: expected number to be <=1');
    expect(e.detail).toMatchObject({ field: 'refine.factor', value: 5 });
    expect(refused({ ...base, n_trials: 0 }).detail).toMatchObject({ field: 'n_trials', value: 0 });
  });
});
