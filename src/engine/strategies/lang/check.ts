/**
 * Name resolution and type checking of one parsed expression (AST → IR). Everything a model
 * can get wrong is caught here, before any bar is read: unknown names (with a suggestion and
 * the accepted names), a number where a condition is expected and the reverse, an offset that
 * could be negative ("would look into the future"), wrong argument counts and kinds, periods
 * outside their range for some declared parameter value.
 */
import { printExpr, type Expr } from './ast.js';
import { ExprError, suggestion, type Pos } from './errors.js';
import { INDICATOR_BY_NAME, INDICATORS, MAX_PERIOD, type ArgSpec, type IndicatorSpec } from './indicators.js';
import { interval, type ParamBounds } from './interval.js';
import { COLUMNS, FUNCTIONS, some, STATE_NAMES, UNARY_FNS, type Node, type Ty, type UnaryFn } from './ir.js';

export interface Scope {
  /** Declared parameters with the union of their bounds over every regime. */
  readonly params: ReadonlyMap<string, ParamBounds>;
  /** Names of the `indicators:` section. */
  readonly indicatorNames: readonly string[];
  /**
   * The checked IR of a named indicator (throws a SilentFailure when it has its own error);
   * `member` picks an output of a named multi-output indicator (`bb: bollinger(…)`, `bb.lower`).
   */
  resolveIndicator(name: string, pos: Pos, member?: string): Node;
  /** The multi-output indicator a named indicator is, when it is one without a picked output. */
  bundleOf?(name: string): IndicatorSpec | undefined;
  /** Constraints: only parameters and numbers. */
  readonly paramsOnly?: boolean;
}

/** Raised when a referenced named indicator failed to check (its error is reported once, under its own path). */
export class SilentFailure extends Error {}

export const ALL_FUNCTION_NAMES: readonly string[] = [...INDICATORS.map((s) => s.name), ...Object.keys(FUNCTIONS)];

const ty = (kind: Ty['kind'], series: boolean, int: boolean, state: boolean): Ty => ({ kind, series, int, state });
const BOOL = ty('bool', false, false, false);

function describe(t: Ty): string {
  return t.kind === 'bool' ? 'a condition (true/false)' : t.series ? 'a number series' : 'a number';
}

export class Checker {
  constructor(private readonly scope: Scope) {}

  /** Checks `e` and requires its kind (when given). */
  expect(e: Expr, kind: Ty['kind'] | null, what = 'this expression'): Node {
    const n = this.check(e);
    if (kind !== null && n.ty.kind !== kind) throw this.kindError(e, n, kind, what);
    return n;
  }

  private kindError(e: Expr, n: Node, want: Ty['kind'], what: string): ExprError {
    const text = printExpr(e);
    if (want === 'bool') {
      return new ExprError(`${what} must be a condition (true/false), but "${text}" is ${describe(n.ty)}: compare it, e.g. "${text} > 0"`, e.pos, tokenOf(e), { expected: ['a condition'] });
    }
    return new ExprError(`${what} must be a number, but "${text}" is a condition (true/false): use a number, or if(cond, a, b)`, e.pos, tokenOf(e), { expected: ['a number'] });
  }

  check(e: Expr): Node {
    switch (e.k) {
      case 'num':
        return { op: 'const', args: [], value: e.value, ty: ty('num', false, Number.isInteger(e.value), false), pos: e.pos };
      case 'bool':
        return { op: 'const', args: [], value: e.value ? 1 : 0, ty: BOOL, pos: e.pos };
      case 'name':
        return this.name(e.name, e.pos);
      case 'call':
        return this.call(e.name, e.args, e.pos, null);
      case 'member':
        return this.member(e);
      case 'index':
        return this.offset(e);
      case 'unary': {
        if (e.op === 'not') {
          const a = this.expect(e.arg, 'bool', 'the operand of "not"');
          return { op: 'not', args: [a], ty: { ...a.ty, int: false }, pos: e.pos };
        }
        const a = this.expect(e.arg, 'num', `the operand of unary "${e.op}"`);
        return e.op === '+' ? a : { op: 'neg', args: [a], ty: a.ty, pos: e.pos };
      }
      case 'binary':
        return this.binary(e);
    }
  }

  private binary(e: Extract<Expr, { k: 'binary' }>): Node {
    const logic = e.op === 'and' || e.op === 'or';
    const kind = logic ? 'bool' : 'num';
    const a = this.expect(e.left, kind, `the left operand of "${e.op}"`);
    const b = this.expect(e.right, kind, `the right operand of "${e.op}"`);
    const series = a.ty.series || b.ty.series;
    const state = a.ty.state || b.ty.state;
    if (logic) return { op: e.op, args: [a, b], ty: ty('bool', series, false, state), pos: e.pos };
    if (['<', '<=', '>', '>=', '==', '!='].includes(e.op)) return { op: e.op, args: [a, b], ty: ty('bool', series, false, state), pos: e.pos };
    const int = a.ty.int && b.ty.int && e.op !== '/';
    return { op: e.op, args: [a, b], ty: ty('num', series, int, state), pos: e.pos };
  }

  private valueNames(): string[] {
    return [...this.scope.params.keys(), ...this.scope.indicatorNames, ...COLUMNS, ...STATE_NAMES, 'regime'];
  }

  private name(name: string, pos: Pos): Node {
    const p = this.scope.params.get(name);
    if (p) {
      const int = p.type === 'int';
      return { op: 'param', args: [], name, ty: ty(p.type === 'bool' ? 'bool' : 'num', false, int, false), pos };
    }
    if (this.scope.indicatorNames.includes(name)) {
      if (this.scope.paramsOnly) throw this.onlyParams(name, pos);
      return this.scope.resolveIndicator(name, pos);
    }
    if ((COLUMNS as readonly string[]).includes(name)) {
      if (this.scope.paramsOnly) throw this.onlyParams(name, pos);
      return { op: 'col', args: [], name, ty: ty('num', true, false, false), pos };
    }
    if ((STATE_NAMES as readonly string[]).includes(name)) {
      if (this.scope.paramsOnly) throw this.onlyParams(name, pos);
      return { op: 'state', args: [], name, ty: ty('num', true, name !== 'entry_price', true), pos };
    }
    if (name === 'regime') throw new ExprError('"regime" has three probabilities: write regime.trend, regime.range or regime.balanced', pos, name, { expected: ['regime.trend', 'regime.range', 'regime.balanced'] });
    if (ALL_FUNCTION_NAMES.includes(name)) {
      const sig = INDICATOR_BY_NAME.get(name)?.summary ?? FUNCTIONS[name];
      throw new ExprError(`"${name}" is a function: call it, ${sig}`, pos, name, { expected: [`${name}(…)`] });
    }
    const s = suggestion(name, this.valueNames());
    const dym = s.did_you_mean !== undefined ? `; did you mean "${s.did_you_mean}"?` : '';
    throw new ExprError(`unknown name "${name}"${dym} (a parameter must be declared under params)`, pos, name, s);
  }

  private onlyParams(name: string, pos: Pos): ExprError {
    return new ExprError(`constraints may use only parameters and numbers, not "${name}"`, pos, name, { expected: [...this.scope.params.keys()] });
  }

  private member(e: Extract<Expr, { k: 'member' }>): Node {
    const obj = e.object;
    const bundle = obj.k === 'name' && this.scope.indicatorNames.includes(obj.name) ? this.scope.bundleOf?.(obj.name) : undefined;
    if (bundle?.outputs && obj.k === 'name') {
      if (this.scope.paramsOnly) throw this.onlyParams(obj.name, obj.pos);
      if (!bundle.outputs.includes(e.name)) {
        const s = suggestion(e.name, bundle.outputs);
        const dym = s.did_you_mean !== undefined ? `; did you mean "${obj.name}.${s.did_you_mean}"?` : '';
        throw new ExprError(`"${obj.name}" is ${bundle.name}(…), which has no output ".${e.name}"${dym}; its outputs are ${bundle.outputs.map((o) => `.${o}`).join(', ')}`, e.pos, e.name, s);
      }
      return this.scope.resolveIndicator(obj.name, obj.pos, e.name);
    }
    if (obj.k === 'call' || (obj.k === 'name' && obj.name === 'regime')) {
      const name = obj.k === 'call' ? obj.name : 'regime';
      const spec = INDICATOR_BY_NAME.get(name);
      if (spec?.outputs) {
        if (!spec.outputs.includes(e.name)) {
          const s = suggestion(e.name, spec.outputs);
          const dym = s.did_you_mean !== undefined ? `; did you mean ".${s.did_you_mean}"?` : '';
          throw new ExprError(`${name}(…) has no output ".${e.name}"${dym}; its outputs are ${spec.outputs.map((o) => `.${o}`).join(', ')}`, e.pos, e.name, s);
        }
        return this.call(name, obj.k === 'call' ? obj.args : [], obj.pos, e.name);
      }
    }
    throw new ExprError(`"${printExpr(obj)}" has no outputs to pick with ".${e.name}" (only regime and multi-output indicators such as bollinger, macd, donchian, keltner, stochastic, adx have)`, e.pos, e.name);
  }

  private offset(e: Extract<Expr, { k: 'index' }>): Node {
    const a = this.check(e.object);
    if (!a.ty.series) {
      throw new ExprError(`"${printExpr(e.object)}" is a constant; a past value [n] applies only to a series such as close or an indicator`, e.pos, '[', { expected: ['a series'] });
    }
    const n = this.expect(e.index, 'num', 'an offset');
    const tok = printExpr(e.index);
    if (n.ty.series) throw new ExprError(`the offset "${tok}" must be a constant number of bars (a number or a parameter), not a series`, e.index.pos, tok);
    const [lo, hi] = interval(n, this.scope.params);
    if (lo < 0) {
      const why = some(n, (x) => x.op === 'param') ? ` (it can be ${lo} for the declared parameter bounds)` : '';
      throw new ExprError(`${printExpr(e.object)}[${tok}] would look into the future: offsets must be >= 0${why}`, e.index.pos, tok, { expected: ['an offset >= 0'] });
    }
    if (!n.ty.int) throw new ExprError(`the offset "${tok}" must be a whole number of bars (an integer or an int parameter)`, e.index.pos, tok, { expected: ['an integer'] });
    if (hi > MAX_PERIOD) throw new ExprError(`the offset "${tok}" can reach ${hi} bars; at most ${MAX_PERIOD}`, e.index.pos, tok);
    return { op: 'offset', args: [a, n], ty: a.ty, pos: e.pos };
  }

  private call(name: string, args: readonly Expr[], pos: Pos, member: string | null): Node {
    if (this.scope.paramsOnly && name !== 'min' && name !== 'max' && name !== 'abs' && !(UNARY_FNS as readonly string[]).includes(name)) throw this.onlyParams(`${name}(…)`, pos);
    const spec = INDICATOR_BY_NAME.get(name);
    if (spec) return this.indicator(spec, args, pos, member);
    if (!(name in FUNCTIONS)) {
      const known = this.scope.params.has(name) || this.scope.indicatorNames.includes(name) || (COLUMNS as readonly string[]).includes(name);
      if (known) throw new ExprError(`"${name}" is not a function; write it without "(…)" (use ${name}[n] for a past value)`, pos, name);
      const s = suggestion(name, ALL_FUNCTION_NAMES);
      const dym = s.did_you_mean !== undefined ? `; did you mean "${s.did_you_mean}"?` : '';
      throw new ExprError(`unknown function "${name}"${dym}`, pos, name, s);
    }
    const arity: Record<string, [number, number]> = { crosses_above: [2, 2], crosses_below: [2, 2], bars_since: [1, 1], if: [3, 3], nz: [1, 2], min: [2, 2], max: [2, 2] };
    const [lo, hi] = arity[name] ?? [1, 1];
    if (args.length < lo || args.length > hi) throw this.arityError(name, FUNCTIONS[name], args.length, lo, hi, pos);
    switch (name) {
      case 'crosses_above':
      case 'crosses_below': {
        const a = this.expect(args[0], 'num', `the first argument of ${name}`);
        const b = this.expect(args[1], 'num', `the second argument of ${name}`);
        if (!a.ty.series && !b.ty.series) throw new ExprError(`${name} needs at least one series (two constants never cross)`, pos, name);
        return { op: name, args: [a, b], ty: ty('bool', true, false, a.ty.state || b.ty.state), pos };
      }
      case 'bars_since': {
        const c = this.expect(args[0], 'bool', 'the argument of bars_since');
        if (!c.ty.series) throw new ExprError('bars_since needs a condition that changes over the bars', args[0].pos, tokenOf(args[0]));
        return { op: 'bars_since', args: [c], ty: ty('num', true, true, c.ty.state), pos };
      }
      case 'if': {
        const c = this.expect(args[0], 'bool', 'the condition of if');
        const a = this.check(args[1]);
        const b = this.expect(args[2], a.ty.kind, 'the third argument of if (like the second)');
        const all = [c, a, b];
        return { op: 'if', args: all, ty: ty(a.ty.kind, all.some((x) => x.ty.series), a.ty.int && b.ty.int, all.some((x) => x.ty.state)), pos };
      }
      case 'nz': {
        const x = this.expect(args[0], 'num', 'the first argument of nz');
        const v = args[1] ? this.expect(args[1], 'num', 'the second argument of nz') : { op: 'const' as const, args: [], value: 0, ty: ty('num', false, true, false), pos };
        if (v.ty.series) throw new ExprError('the replacement value of nz must be a constant', args[1].pos, tokenOf(args[1]));
        return { op: 'nz', args: [x, v], ty: { ...x.ty, int: x.ty.int && v.ty.int }, pos };
      }
      case 'min':
      case 'max': {
        const a = this.expect(args[0], 'num', `the first argument of ${name}`);
        const b = this.expect(args[1], 'num', `the second argument of ${name}`);
        return { op: name, args: [a, b], ty: ty('num', a.ty.series || b.ty.series, a.ty.int && b.ty.int, a.ty.state || b.ty.state), pos };
      }
      default: {
        const a = this.expect(args[0], 'num', `the argument of ${name}`);
        const int = name === 'floor' || name === 'ceil' || name === 'round' || (name === 'abs' && a.ty.int);
        return { op: name as UnaryFn, args: [a], ty: { ...a.ty, int }, pos };
      }
    }
  }

  private arityError(name: string, sig: string, got: number, lo: number, hi: number, pos: Pos): ExprError {
    const want = lo === hi ? `${lo}` : `${lo} to ${hi}`;
    return new ExprError(`${name} takes ${want} argument${hi === 1 ? '' : 's'}, got ${got}: ${sig}`, pos, name, { expected: [sig] });
  }

  private indicator(spec: IndicatorSpec, args: readonly Expr[], pos: Pos, member: string | null): Node {
    const out = member ?? spec.defaultOutput ?? null;
    if (spec.outputs && out === null) {
      throw new ExprError(`${spec.name}(…) has several outputs: pick one with ${spec.outputs.map((o) => `.${o}`).join(', ')} (${spec.summary})`, pos, spec.name, { expected: spec.outputs.map((o) => `.${o}`) });
    }
    const required = spec.args.filter((a) => a.default === undefined).length;
    if (args.length < required || args.length > spec.args.length) throw this.arityError(spec.name, spec.summary, args.length, required, spec.args.length, pos);
    const nodes: Node[] = [];
    spec.args.forEach((a, i) => {
      const e = args[i];
      if (e === undefined) {
        nodes.push({ op: 'const', args: [], value: a.default!, ty: ty('num', false, Number.isInteger(a.default), false), pos });
        return;
      }
      nodes.push(this.argument(spec, a, e));
    });
    return { op: 'ind', args: nodes, spec, out, ty: ty('num', true, false, false), pos };
  }

  private argument(spec: IndicatorSpec, a: ArgSpec, e: Expr): Node {
    const where = `the ${a.name} argument of ${spec.name}`;
    const n = this.expect(e, 'num', where);
    const tok = printExpr(e);
    if (a.kind === 'series') {
      if (!n.ty.series) throw new ExprError(`${where} must be a series such as close or another indicator, not the constant "${tok}" (${spec.summary})`, e.pos, tok, { expected: ['a series'] });
      if (n.ty.state) throw new ExprError(`${where} depends on the position (position, bars_in_trade, entry_price); indicators need a series of the bars`, e.pos, tok);
      return n;
    }
    if (n.ty.series) throw new ExprError(`${where} must be a constant (a number or a parameter), not a series (${spec.summary})`, e.pos, tok, { expected: ['a number', 'a parameter'] });
    const [lo, hi] = interval(n, this.scope.params);
    const min = a.min ?? (a.kind === 'period' ? 1 : 0);
    const bounds = some(n, (x) => x.op === 'param') ? ' for the declared parameter bounds' : '';
    if (a.kind === 'period') {
      if (!n.ty.int) throw new ExprError(`${where} is a number of bars and must be a whole number (an integer or an int parameter), got "${tok}"`, e.pos, tok, { expected: ['an integer'] });
      if (lo < min) throw new ExprError(`${where} must be >= ${min}, but "${tok}" can be ${lo}${bounds}`, e.pos, tok, { expected: [`an integer >= ${min}`] });
      if (hi > MAX_PERIOD) throw new ExprError(`${where} must be <= ${MAX_PERIOD}, but "${tok}" can be ${hi}${bounds}`, e.pos, tok, { expected: [`an integer <= ${MAX_PERIOD}`] });
    } else if (lo < min || !Number.isFinite(hi)) {
      throw new ExprError(`${where} must be a finite number >= ${min}, but "${tok}" can be ${lo < min ? lo : hi}${bounds}`, e.pos, tok, { expected: [`a number >= ${min}`] });
    }
    return n;
  }
}

/** The text a person would point at for an expression: its first token (a name, number or operator). */
export function tokenOf(e: Expr): string {
  switch (e.k) {
    case 'num':
      return e.text;
    case 'bool':
      return String(e.value);
    case 'name':
    case 'call':
      return e.name;
    case 'member':
      return `${tokenOf(e.object)}.${e.name}`;
    case 'index':
      return tokenOf(e.object);
    case 'unary':
      return e.op;
    case 'binary':
      return e.op;
  }
}

