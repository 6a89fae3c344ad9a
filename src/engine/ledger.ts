/**
 * What the trial ledger records for one evaluated configuration (STATISTICS.md): the
 * per-period (end-of-day) return moments and 16 block moments, so PSR, DSR and PBO can be
 * computed later for the whole research family without re-running anything.
 */
import { detectPeriods } from './metrics/periods.js';
import { periodEndIndices, periodReturns } from './metrics/resample.js';
import { blockMoments, returnMoments, type BlockMoment } from './validation/moments.js';

export const LEDGER_BLOCKS = 16;

export interface LedgerStats {
  readonly n_periods: number;
  readonly periods_per_year: number;
  /** Per-period Sharpe (not annualised); null when undefined (too short, zero variance). */
  readonly sharpe: number | null;
  readonly skew: number | null;
  readonly kurtosis_raw: number | null;
  /** 16 contiguous blocks of the per-period returns; empty when there are fewer than 16 periods. */
  readonly blocks: readonly BlockMoment[];
}

/**
 * End-of-day simple returns of an equity curve (calendar UTC days, empty days dropped).
 * After ruin the curve stays at 0 (or at the negative equity it stopped at), and each later
 * day's return is 0, not dropped: every configuration of one range keeps the same calendar,
 * so PBO's blocks and the trials' correlations stay aligned (a bankrupt trial is a trial
 * that earns nothing after its ruin, not a shorter one).
 */
export function dailyReturns(time: Float64Array, equity: Float64Array, scratch?: { buf: Float64Array }): Float64Array {
  const r = periodReturns(time, equity, 'D', scratch);
  const ends = periodEndIndices(time, 'D');
  for (let i = 0; i < r.length; i++) if (!(equity[ends[i]] > 0)) r[i] = 0;
  return r;
}

/** Every trial computes its ledger statistics; their daily returns live only inside `ledgerStats`. */
const dailyScratch = { buf: new Float64Array(0) };

/** Ledger statistics of a configuration that has none (a pruned trial): it still counts in N. */
export const NO_LEDGER_STATS: LedgerStats = Object.freeze({ n_periods: 0, periods_per_year: 0, sharpe: null, skew: null, kurtosis_raw: null, blocks: [] });

export function ledgerStats(time: Float64Array, equity: Float64Array): LedgerStats {
  const r = dailyReturns(time, equity, dailyScratch);
  const m = returnMoments(r);
  return {
    n_periods: r.length,
    periods_per_year: time.length >= 2 ? detectPeriods(time, 'standard').periodsPerYear : 252,
    sharpe: m.sharpe,
    skew: m.skew,
    kurtosis_raw: m.kurtosisRaw,
    blocks: r.length >= LEDGER_BLOCKS ? blockMoments(r, LEDGER_BLOCKS) : [],
  };
}

/** Packs block moments as Float64 triples (n, sum, sumSq) for storage. */
export function packBlocks(blocks: readonly BlockMoment[]): Float64Array {
  const out = new Float64Array(blocks.length * 3);
  blocks.forEach((b, i) => {
    out[3 * i] = b.n;
    out[3 * i + 1] = b.sum;
    out[3 * i + 2] = b.sumSq;
  });
  return out;
}

export function unpackBlocks(a: Float64Array): BlockMoment[] {
  const out: BlockMoment[] = [];
  for (let i = 0; i + 2 < a.length; i += 3) out.push({ n: a[i], sum: a[i + 1], sumSq: a[i + 2] });
  return out;
}

/**
 * The configurations PBO can compare: those with all LEDGER_BLOCKS block moments on the same
 * calendar (the most common per-block day counts). Entries recorded before a bankrupt curve's
 * later days were kept as zero returns could cover fewer days; they are left out and counted.
 */
export function alignedForPbo<T extends { readonly blocks: readonly BlockMoment[] }>(entries: readonly T[]): { readonly aligned: T[]; readonly misaligned: number } {
  const full = entries.filter((e) => e.blocks.length === LEDGER_BLOCKS);
  const pattern = (e: T): string => e.blocks.map((b) => b.n).join(',');
  const counts = new Map<string, number>();
  for (const e of full) counts.set(pattern(e), (counts.get(pattern(e)) ?? 0) + 1);
  let best = '';
  let most = 0;
  for (const [p, c] of counts) if (c > most) [best, most] = [p, c];
  const aligned = full.filter((e) => pattern(e) === best);
  return { aligned, misaligned: full.length - aligned.length };
}
