/**
 * What the trial ledger records for one evaluated configuration (STATISTICS.md): the
 * per-period (end-of-day) return moments and 16 block moments, so PSR, DSR and PBO can be
 * computed later for the whole research family without re-running anything.
 */
import { detectPeriods } from './metrics/periods.js';
import { periodEndValues, simpleReturns } from './metrics/resample.js';
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

/** End-of-day simple returns of an equity curve (calendar UTC days, empty days dropped). */
export function dailyReturns(time: Float64Array, equity: Float64Array): Float64Array {
  const r = simpleReturns(periodEndValues(time, equity, 'D'));
  // a bankrupt curve (0 → 0) gives NaN; such periods carry no return information
  let k = 0;
  for (let i = 0; i < r.length; i++) if (Number.isFinite(r[i])) r[k++] = r[i];
  return k === r.length ? r : r.slice(0, k);
}

export function ledgerStats(time: Float64Array, equity: Float64Array): LedgerStats {
  const r = dailyReturns(time, equity);
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
