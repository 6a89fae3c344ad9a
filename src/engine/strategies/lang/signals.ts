/**
 * Runs a checked program over a candle series and returns the simulator's Signals
 * (docs/strategy-language.md, "Semantics"). At every decision bar t:
 *   le, se = the long/short entry rules; when both hold neither counts (a conflict);
 *   lx = the long exit rule, or se when the strategy has no long exit rule (sx mirrored);
 *   entry[t] = +1 if le and longs are allowed, −1 if se and shorts are allowed, else 0;
 *   an entry whose size is not > 0 (NaN, 0, a risk map below its first level) is dropped;
 *   exit[t] = long bit if lx, short bit if sx.
 * The simulator then enters only when flat, reverses on an allowed opposite entry, and exits
 * on the held side's bit. A strategy without regimes, position state, size or stops takes a
 * fused column loop; the others decide bar by bar (decideAt), regimes choosing per bar which
 * parameter set's values are read.
 */
import { EXIT_LONG, EXIT_SHORT, type Direction, type EntryStops, type Signals } from '../../backtest/types.js';
import type { Candles } from '../../data/candles.js';
import { allocSignals, allowsLong, allowsShort, firstDecisionBar } from '../common.js';
import { mostLikelyRegime } from '../regime.js';
import { riskFraction } from '../risk-map.js';
import type { StrategyContext } from '../types.js';
import { INDICATOR_BY_NAME, regimeGroup } from './indicators.js';
import { evaluate, lane, newEnv, scalarOf, type EvalEnv, type ParamValues } from './kernels.js';
import type { CompiledRule, CompiledSize, Program } from './program.js';
import { BarProgram, type Lane } from './state.js';

type SizeLane = { readonly kind: 'lane'; readonly lane: Lane } | { readonly kind: 'risk'; readonly map: readonly (readonly [number, number])[] };

interface SideLanes {
  readonly entry: Lane;
  readonly exit: Lane | null;
  readonly size: SizeLane | null;
  readonly stop_loss: Lane | null;
  readonly take_profit: Lane | null;
  readonly trailing_stop: Lane | null;
}

interface VariantLanes {
  readonly long: SideLanes;
  readonly short: SideLanes;
  readonly conf: Lane | null;
}

const NEVER: Lane = [Uint8Array.of(0), 0];

/** The runtime params of a compiled strategy: declared params, `direction`, and `regimes.<name>.<param>` overrides. */
export type LangParams = Record<string, unknown> & { direction: Direction; regimes?: Record<string, Record<string, number | boolean>> };

/** Flat parameter values of the base set, or of a regime's set (base values overridden). */
export function variantValues(p: LangParams, regime: string | null): ParamValues {
  const out: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(p)) if (k !== 'direction' && k !== 'regimes') out[k] = v as number | boolean;
  if (regime !== null) Object.assign(out, p.regimes?.[regime] ?? {});
  return out;
}

export function buildSignals(prog: Program, candles: Candles, p: LangParams, ctx: StrategyContext): Signals {
  const n = candles.close.length;
  const env = newEnv(candles, ctx);
  const bar = prog.stateful ? new BarProgram(env, n) : null;
  const laneOf = (node: Parameters<typeof evaluate>[0], v: ParamValues): Lane => (bar ? bar.lane(node, v) : lane(evaluate(node, v, env)));
  const base = variantValues(p, null);
  const variants = [base, ...prog.regimeNames.map((r) => (prog.overrides.get(r)?.length ? variantValues(p, r) : base))];
  const lanes = variants.map((v, i) => (i > 0 && v === base ? null : variantLanes(prog, v, laneOf))).map((l, _i, all) => l ?? all[0]!);
  const w = env.warmup;
  const regime = prog.regime ? regimeIndex(prog, candles, base, env) : null;
  const buf = allocSignals(n, ctx);
  const first = firstDecisionBar(w);
  const canLong = allowsLong(p.direction);
  const canShort = allowsShort(p.direction);
  const l0 = lanes[0];
  const hasStops = [l0.long, l0.short].some((s) => s.stop_loss || s.take_profit || s.trailing_stop);
  const hasSize = l0.long.size !== null || l0.short.size !== null;
  const general = bar !== null || regime !== null || hasStops || hasSize;
  const conf = l0.conf ? new Float64Array(n).fill(NaN) : undefined;
  if (!general) {
    fastLoop(l0, buf.entry, buf.exit, first, n, canLong, canShort);
    if (conf) for (let t = w; t < n; t++) conf[t] = clamp01(l0.conf![0][t * l0.conf![1]]);
    return { entry: buf.entry, exit: buf.exit, warmup: w, ...(conf ? { confidence: conf } : {}) };
  }
  const size = hasSize ? new Float64Array(n) : undefined;
  const stops = hasStops ? newStops(l0, n) : undefined;
  // the confidence is reported from the warm-up bar w, decisions are taken from w + 1
  const decideAt = (t: number): void => {
    const L = lanes[regime ? regime[t] + 1 : 0];
    if (conf && t >= w) conf[t] = clamp01(L.conf![0][t * L.conf![1]]);
    if (t >= first) decide(t, L, canLong, canShort, buf.entry, buf.exit, size, conf, stops);
  };
  if (!bar) {
    for (let t = w; t < n; t++) decideAt(t);
    return { entry: buf.entry, exit: buf.exit, warmup: w, ...(size ? { size } : {}), ...(conf ? { confidence: conf } : {}), ...(stops ? { stops } : {}) };
  }
  // position-dependent: fill every bar as if flat; the simulator re-decides bars it reaches
  const cur = bar.cursor;
  for (let t = 0; t < n; t++) {
    bar.run(t);
    decideAt(t);
  }
  const hook = (t: number, dir: number, entryBar: number, entryPrice: number): void => {
    cur.dir = dir;
    cur.entryBar = entryBar;
    cur.entryPrice = entryPrice;
    bar.run(t);
    decideAt(t);
  };
  return { entry: buf.entry, exit: buf.exit, warmup: w, decide: hook, ...(size ? { size } : {}), ...(conf ? { confidence: conf } : {}), ...(stops ? { stops } : {}) };
}

function variantLanes(prog: Program, v: ParamValues, laneOf: (n: CompiledRule['when'], v: ParamValues) => Lane): VariantLanes {
  const sizeLane = (s: CompiledSize | undefined): SizeLane | null => {
    if (!s) return null;
    if (s.kind === 'expr') return { kind: 'lane', lane: laneOf(s.node, v) };
    return { kind: 'risk', map: s.pairs.map(([c, f]) => [scalarOf(c, v), scalarOf(f, v)] as const) };
  };
  const side = (entry: CompiledRule | undefined, exit: CompiledRule | undefined): SideLanes => ({
    entry: entry ? laneOf(entry.when, v) : NEVER,
    exit: exit ? laneOf(exit.when, v) : null,
    size: sizeLane(entry?.size ?? prog.size),
    stop_loss: entry?.stops.stop_loss ? laneOf(entry.stops.stop_loss, v) : null,
    take_profit: entry?.stops.take_profit ? laneOf(entry.stops.take_profit, v) : null,
    trailing_stop: entry?.stops.trailing_stop ? laneOf(entry.stops.trailing_stop, v) : null,
  });
  const r = prog.rules;
  return { long: side(r.long_entry, r.long_exit), short: side(r.short_entry, r.short_exit), conf: prog.confidence ? laneOf(prog.confidence, v) : null };
}

/**
 * The decision rule of the file comment, over whole columns (no regimes, position state, size
 * or stops). Conditions are 0/1 arrays (a constant is spread to one), so the rule is
 * branchless except for skipping the (usual) bars where no rule holds: entry and exit are
 * zeroed buffers.
 */
function fastLoop(L: VariantLanes, entry: Int8Array, exit: Uint8Array, first: number, n: number, canLong: boolean, canShort: boolean): void {
  const zeros = new Uint8Array(n);
  const col = (l: Lane | null): Float64Array | Uint8Array => (l === null || (l[1] === 0 && !l[0][0]) ? zeros : l[1] === 1 ? l[0] : new Uint8Array(n).fill(1));
  const LE = col(L.long.entry);
  const SE = col(L.short.entry);
  const LX = col(L.long.exit);
  const SX = col(L.short.exit);
  // a side without an exit rule is exited by the other side's entry
  const implicitLX = L.long.exit === null ? 1 : 0;
  const implicitSX = L.short.exit === null ? 1 : 0;
  const goLong = canLong ? 1 : 0;
  const goShort = canShort ? -1 : 0;
  for (let t = first; t < n; t++) {
    const l = LE[t];
    const s = SE[t];
    const lx = LX[t];
    const sx = SX[t];
    if ((l | s | lx | sx) === 0) continue;
    const both = l & s;
    const le = l ^ both;
    const se = s ^ both;
    entry[t] = le * goLong + se * goShort;
    exit[t] = (lx | (se & implicitLX)) * EXIT_LONG + (sx | (le & implicitSX)) * EXIT_SHORT;
  }
}

/** The same rule at one bar, with sizes, confidence and per-entry stops. */
function decide(t: number, L: VariantLanes, canLong: boolean, canShort: boolean, entry: Int8Array, exit: Uint8Array, size: Float64Array | undefined, conf: Float64Array | undefined, stops: EntryStops | undefined): void {
  let le = L.long.entry[0][t * L.long.entry[1]];
  let se = L.short.entry[0][t * L.short.entry[1]];
  if (le && se) le = se = 0;
  const lx = L.long.exit ? L.long.exit[0][t * L.long.exit[1]] : se;
  const sx = L.short.exit ? L.short.exit[0][t * L.short.exit[1]] : le;
  let e = le && canLong ? 1 : se && canShort ? -1 : 0;
  // a side without a size leaves NaN: the simulator then uses the execution spec's fraction
  let f = NaN;
  if (e !== 0) {
    const S = e > 0 ? L.long : L.short;
    if (S.size !== null) {
      f = S.size.kind === 'lane' ? S.size.lane[0][t * S.size.lane[1]] : riskFraction(S.size.map, conf ? conf[t] : NaN);
      if (!(f > 0)) e = 0;
    }
  }
  entry[t] = e;
  exit[t] = (lx ? EXIT_LONG : 0) | (sx ? EXIT_SHORT : 0);
  if (size) size[t] = e === 0 ? 0 : f;
  if (stops) {
    const S = e > 0 ? L.long : e < 0 ? L.short : null;
    if (stops.stop_loss) stops.stop_loss[t] = S ? level(S.stop_loss, t, 1) : NaN;
    if (stops.take_profit) stops.take_profit[t] = S ? level(S.take_profit, t, Infinity) : NaN;
    if (stops.trailing_stop) stops.trailing_stop[t] = S ? level(S.trailing_stop, t, 1) : NaN;
  }
}

/** A stop fraction at t when it is in (0, max), else NaN (the execution spec's level applies). */
function level(l: Lane | null, t: number, max: number): number {
  if (l === null) return NaN;
  const v = l[0][t * l[1]];
  return v > 0 && v < max ? v : NaN;
}

function newStops(L: VariantLanes, n: number): EntryStops {
  const has = (k: 'stop_loss' | 'take_profit' | 'trailing_stop') => L.long[k] !== null || L.short[k] !== null;
  const arr = () => new Float64Array(n).fill(NaN);
  return { ...(has('stop_loss') ? { stop_loss: arr() } : {}), ...(has('take_profit') ? { take_profit: arr() } : {}), ...(has('trailing_stop') ? { trailing_stop: arr() } : {}) };
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/**
 * The regime of every bar as an index into prog.regimeNames (−1 = none: base parameters).
 * Its indicators do not count in the warm-up: before they are valid the base set is used.
 */
export function regimeIndex(prog: Program, candles: Candles, base: ParamValues, env: EvalEnv): Int8Array {
  const n = candles.close.length;
  const out = new Int8Array(n).fill(-1);
  const saved = env.warmup;
  if (prog.regime!.kind === 'classifier') {
    const s = INDICATOR_BY_NAME.get('regime')!.args.map((a) => a.default!);
    const probs = regimeGroup({ candles, ctx: env.ctx, src: null, srcKey: '', s });
    for (let t = 0; t < n; t++) {
      const r = mostLikelyRegime(probs, t);
      out[t] = r === undefined ? -1 : prog.regimeNames.indexOf(r);
    }
  } else {
    const conds = prog.regime!.rules.map((r) => lane(evaluate(r.when, base, env)));
    for (let t = 0; t < n; t++) {
      for (let i = 0; i < conds.length; i++) {
        if (conds[i][0][t * conds[i][1]]) {
          out[t] = i;
          break;
        }
      }
    }
  }
  env.warmup = saved;
  return out;
}

