/**
 * From a parsed document to a checked Program: every expression parsed (parser.ts) and typed
 * (check.ts), every name resolved, all errors collected with their paths. Nothing here reads
 * a bar; a Program is cheap to rebuild from the document.
 */
import { DIRECTIONS, type Direction } from '../../backtest/types.js';
import { REGIMES } from '../regime.js';
import { parseExpression } from './parser.js';
import { Checker, SilentFailure, type Scope } from './check.js';
import { type ParamDecl, type RegimeOverride, type RuleName, type SizeDecl, type Source, type StrategyDoc } from './document.js';
import { ExprError, docError, fromExprError, suggestion, type LangError } from './errors.js';
import { interval, type ParamBounds } from './interval.js';
import { some, type Node } from './ir.js';
import { decisionNodes, type CompiledRule, type CompiledSize, type Program, type RegimeSource } from './program.js';
import { overrideDecl } from './schema.js';
import { printExpr, type Expr } from './ast.js';
import { INDICATOR_BY_NAME, type IndicatorSpec } from './indicators.js';

export interface Compiled {
  readonly program: Program;
  /** Regime overrides by regime (validated). */
  readonly overrides: ReadonlyMap<string, readonly RegimeOverride[]>;
  /** Canonical text of every expression, by path. */
  readonly texts: ReadonlyMap<string, string>;
  readonly warnings: string[];
}

/** Checks a read document; errors are appended to `errors` (the result is null when there are any). */
export function compileDoc(doc: StrategyDoc, errors: LangError[]): Compiled | null {
  const before = errors.length;
  const warnings: string[] = [];
  const texts = new Map<string, string>();
  const params = new Map(doc.params.map((d) => [d.name, d]));
  const overrides = checkOverrides(doc, params, errors);
  const bounds = new Map<string, ParamBounds>();
  for (const d of doc.params) bounds.set(d.name, { type: d.type, low: d.low, high: d.high });
  for (const list of overrides.values()) {
    for (const o of list) {
      const b = bounds.get(o.name)!;
      const d = overrideDecl(params.get(o.name)!, o);
      bounds.set(o.name, { type: b.type, low: Math.min(b.low, d.low), high: Math.max(b.high, d.high) });
    }
  }
  for (const ind of doc.indicators) {
    if (params.has(ind.name)) errors.push(docError(ind.path, ind.name, `"${ind.name}" is both a parameter and an indicator; rename one`));
  }

  // named indicators: checked on first use, cycles refused. A named multi-output indicator
  // without a picked output (`bb: bollinger(close, n, k)`) is a bundle: used as `bb.lower`.
  const named = new Map(doc.indicators.map((i) => [i.name, i]));
  const bundles = new Map<string, { spec: IndicatorSpec; ast: Extract<Expr, { k: 'call' }> }>();
  for (const ind of doc.indicators) {
    try {
      const ast = parseExpression(ind.text);
      const spec = ast.k === 'call' ? INDICATOR_BY_NAME.get(ast.name) : undefined;
      if (ast.k === 'call' && spec?.outputs && spec.defaultOutput === undefined) bundles.set(ind.name, { spec, ast });
    } catch {
      // a syntax error is reported when the indicator is checked
    }
  }
  const done = new Map<string, Node | null>();
  const stack: string[] = [];
  const scope: Scope = {
    params: bounds,
    indicatorNames: doc.indicators.map((i) => i.name),
    bundleOf: (name) => bundles.get(name)?.spec,
    resolveIndicator(name, pos, member) {
      const bundle = bundles.get(name);
      if (bundle && member === undefined) {
        const outs = bundle.spec.outputs ?? [];
        throw new ExprError(`"${name}" is ${bundle.spec.name}(…) with several outputs: pick one with ${outs.map((o) => `${name}.${o}`).join(', ')}`, pos, name, { expected: outs.map((o) => `${name}.${o}`) });
      }
      const key = member === undefined ? name : `${name}.${member}`;
      if (done.has(key)) {
        const n = done.get(key);
        if (n === null) throw new SilentFailure();
        return n!;
      }
      if (stack.includes(name)) throw new ExprError(`indicator "${name}" refers to itself (${[...stack.slice(stack.indexOf(name)), name].join(' → ')})`, pos, name);
      stack.push(name);
      const src = named.get(name)!;
      const node = bundle ? expr(src, null, undefined, checker, { k: 'member', object: bundle.ast, name: member!, pos: bundle.ast.pos }) : expr(src, null);
      stack.pop();
      done.set(key, node);
      if (node === null) throw new SilentFailure();
      return node;
    },
  };
  const checker = new Checker(scope);
  function expr(src: Source, kind: 'num' | 'bool' | null, what?: string, c: Checker = checker, as?: Expr): Node | null {
    try {
      const ast = parseExpression(src.text);
      texts.set(src.path, printExpr(ast));
      return c.expect(as ?? ast, kind, what);
    } catch (e) {
      if (e instanceof SilentFailure) return null;
      if (e instanceof ExprError) {
        // an error inside a named indicator belongs to it, whoever used it first
        if (!errors.some((x) => x.path === src.path)) errors.push(fromExprError(src.path, e));
        return null;
      }
      throw e;
    }
  }
  // every named indicator is checked, used or not
  for (const ind of doc.indicators) {
    try {
      scope.resolveIndicator(ind.name, { offset: 0, line: 1, column: 1 }, bundles.get(ind.name)?.spec.outputs?.[0]);
    } catch (e) {
      if (!(e instanceof SilentFailure)) throw e;
    }
  }

  const rules: Partial<Record<RuleName, CompiledRule>> = {};
  for (const [name, r] of Object.entries(doc.rules) as [RuleName, NonNullable<StrategyDoc['rules'][RuleName]>][]) {
    const when = expr(r.when, 'bool', `${name}`);
    const stops: CompiledRule['stops'] = {};
    for (const [k, s] of Object.entries(r.stops) as [keyof CompiledRule['stops'], Source][]) {
      const node = expr(s, 'num', k);
      if (node && inRange(node, bounds, k === 'take_profit' ? 'positive' : 'open_unit', s, errors, `${k} (a fraction of the entry price)`)) stops[k] = node;
    }
    const size = r.size ? compileSize(r.size) : undefined;
    if (when) rules[name] = { when, stops, ...(size ? { size } : {}) };
  }
  const confidence = doc.confidence ? expr(doc.confidence, 'num', 'confidence') ?? undefined : undefined;
  const size = doc.size ? compileSize(doc.size) : undefined;
  if ((doc.size?.kind === 'risk_map' || Object.values(doc.rules).some((r) => r?.size?.kind === 'risk_map')) && !doc.confidence) {
    errors.push(docError('rules.confidence', null, 'a risk_map sizes entries by the confidence: add rules.confidence (a number in [0, 1])'));
  }
  function compileSize(s: SizeDecl): CompiledSize | undefined {
    if (s.kind === 'expr') {
      const node = expr(s.expr, 'num', 'size');
      if (node && inRange(node, bounds, 'unit', s.expr, errors, 'size (a fraction of equity; 0 = no entry)')) return { kind: 'expr', node };
      return undefined;
    }
    const pairs: [Node, Node][] = [];
    for (const [c, f] of s.pairs) {
      const cn = expr(c, 'num', 'a risk_map confidence');
      const fn = expr(f, 'num', 'a risk_map fraction');
      for (const [n, src] of [[cn, c], [fn, f]] as const) {
        if (n && n.ty.series) errors.push(docError(src.path, src.text, 'risk_map values must be numbers or parameters, not series'));
      }
      if (cn && fn && !cn.ty.series && !fn.ty.series && inRange(cn, bounds, 'unit', c, errors, 'a risk_map confidence') && inRange(fn, bounds, 'unit', f, errors, 'a risk_map fraction')) pairs.push([cn, fn]);
    }
    return pairs.length === s.pairs.length ? { kind: 'risk_map', pairs } : undefined;
  }

  const constraintChecker = new Checker({ ...scope, paramsOnly: true });
  const constraints: { node: Node; text: string }[] = [];
  for (const c of doc.constraints) {
    const node = expr(c, 'bool', 'a constraint', constraintChecker);
    if (node) constraints.push({ node, text: texts.get(c.path)! });
  }

  let regime: RegimeSource | null = null;
  let regimeNames: string[] = [];
  if (doc.regimes) {
    if (doc.regimes.source === 'classifier') {
      regime = { kind: 'classifier' };
      regimeNames = [...REGIMES];
    } else {
      const list: { name: string; when: Node }[] = [];
      for (const r of doc.regimes.source) {
        const when = expr(r.when, 'bool', `the condition of regime "${r.name}"`);
        if (when && when.ty.state) errors.push(docError(r.when.path, r.name, 'a regime condition cannot depend on the position (position, bars_in_trade, entry_price)'));
        else if (when) list.push({ name: r.name, when });
      }
      regime = { kind: 'rules', rules: list };
      regimeNames = doc.regimes.source.map((r) => r.name);
    }
  }

  const hasLong = doc.rules.long_entry !== undefined;
  const hasShort = doc.rules.short_entry !== undefined;
  const directions: Direction[] = hasLong && hasShort ? [...DIRECTIONS] : hasLong ? ['long_only'] : hasShort ? ['short_only'] : [];
  const defaultDirection: Direction = doc.direction ?? (hasLong && hasShort ? 'long_short' : hasLong ? 'long_only' : 'short_only');
  if (doc.direction && !directions.includes(doc.direction)) {
    errors.push(docError('direction', doc.direction, `direction ${doc.direction} needs rules for ${doc.direction === 'long_only' ? 'long_entry' : doc.direction === 'short_only' ? 'short_entry' : 'long_entry and short_entry'}`, { expected: directions }));
  }
  if (errors.length > before) return null;

  const program: Program = {
    params: doc.params,
    rules,
    ...(confidence ? { confidence } : {}),
    ...(size ? { size } : {}),
    constraints,
    regime,
    regimeNames,
    overrides: new Map([...overrides].map(([r, l]) => [r, l.map((o) => o.name)])),
    stateful: false,
    directions,
    defaultDirection,
  };
  const nodes = decisionNodes(program);
  const stateful = nodes.some((n) => some(n, (x) => x.ty.state));
  const reads = new Set<string>();
  for (const n of [...nodes, ...constraints.map((c) => c.node), ...(regime?.kind === 'rules' ? regime.rules.map((r) => r.when) : [])]) {
    some(n, (x) => {
      if (x.op === 'param') reads.add(x.name!);
      return false;
    });
  }
  for (const d of doc.params) if (!reads.has(d.name) && d.name !== 'max_hold_bars') warnings.push(`params.${d.name} is declared but no rule uses it`);
  for (const i of doc.indicators) if (!usedIn(i.name, doc, texts)) warnings.push(`indicators.${i.name} is defined but no rule uses it`);
  return { program: { ...program, stateful }, overrides, texts, warnings };
}

/** Whether a named indicator is referenced from a decision (by name, in the canonical texts). */
function usedIn(name: string, doc: StrategyDoc, texts: ReadonlyMap<string, string>): boolean {
  const re = new RegExp(`(^|[^A-Za-z0-9_.])${name}($|[^A-Za-z0-9_(])`);
  return [...texts].some(([path, t]) => path !== `indicators.${name}` && re.test(t));
}

/** Regime overrides: each names a declared parameter, of the right type, within its bounds. */
function checkOverrides(doc: StrategyDoc, params: ReadonlyMap<string, ParamDecl>, errors: LangError[]): Map<string, RegimeOverride[]> {
  const out = new Map<string, RegimeOverride[]>();
  for (const set of doc.regimes?.sets ?? []) {
    const ok: RegimeOverride[] = [];
    for (const o of set.overrides) {
      const d = params.get(o.name);
      if (!d) {
        const s = suggestion(o.name, [...params.keys()]);
        errors.push(docError(o.path, o.name, `"${o.name}" is not a declared parameter${s.did_you_mean !== undefined ? `; did you mean "${s.did_you_mean}"?` : ''} (a regime can only change declared params)`, s));
        continue;
      }
      const bad = d.type === 'bool' ? typeof o.default !== 'boolean' : typeof o.default !== 'number' || (d.type === 'int' && !Number.isInteger(o.default));
      const e = overrideDecl(d, o);
      if (bad) errors.push(docError(o.path, String(o.default), `${o.name} is ${d.type === 'int' ? 'an int' : d.type === 'float' ? 'a float' : 'a bool'} parameter; got ${JSON.stringify(o.default)}`));
      else if (d.type !== 'bool' && (e.low > e.high || (o.default as number) < e.low || (o.default as number) > e.high)) {
        errors.push(docError(o.path, String(o.default), `${o.name} in regime ${set.name} must be within [${e.low}, ${e.high}], got ${o.default}`, { expected: [`a number in [${e.low}, ${e.high}]`] }));
      } else ok.push(o);
    }
    if (ok.length > 0) out.set(set.name, ok);
  }
  return out;
}

type Range = 'open_unit' | 'positive' | 'unit';
const RANGE_TEXT: Record<Range, string> = { open_unit: 'in (0, 1)', positive: '> 0', unit: 'in [0, 1]' };

/**
 * A constant expression (numbers and parameters) must lie in `range` for every declared
 * parameter value. Series are not checked here: a value outside the range at some bar falls
 * back as documented. Returns true when fine.
 */
function inRange(node: Node, bounds: ReadonlyMap<string, ParamBounds>, range: Range, src: Source, errors: LangError[], what: string): boolean {
  if (node.ty.series) return true;
  const [a, b] = interval(node, bounds);
  const ok = range === 'unit' ? a >= 0 && b <= 1 : range === 'positive' ? a > 0 && b < Infinity : a > 0 && b < 1;
  if (ok) return true;
  const bad = range === 'unit' ? (a < 0 ? a : b) : a > 0 ? b : a;
  const at = node.op === 'const' ? `got ${a}` : `"${src.text}" can be ${bad} for the declared parameter bounds`;
  errors.push(docError(src.path, src.text, `${what} must be ${RANGE_TEXT[range]}; ${at}`, { expected: [`a number ${RANGE_TEXT[range]}`] }));
  return false;
}
