/**
 * Shared shapes of `analyze_results`: what is analysed (a subject: one equity curve with its
 * trades and context), the options, and the depth levels.
 */
import type { ExecutionSpec, Trade } from '../../engine/backtest/types.js';
import type { Candles } from '../../engine/data/candles.js';
import type { StrategyDef } from '../../engine/strategies/types.js';
import type { FamilyKey } from '../../storage/ledger.js';
import type { EvidenceScope } from '../selection.js';

export const DEPTHS = ['basic', 'advanced', 'deep'] as const;
export type Depth = (typeof DEPTHS)[number];

export interface AnalyzeOptions {
  readonly depth: Depth;
  readonly seed: number;
  /** Drawdown (negative percent, e.g. −50) that counts as ruin in the Monte Carlo. */
  readonly ruinDrawdownPct: number;
  /** Monte Carlo paths per method. */
  readonly mcPaths: number;
  /** Compute PSR/DSR/PBO whatever the depth (comparisons rank by DSR). */
  readonly forceSelection?: boolean;
  /** Monte Carlo return steps per method (paths × returns); default MC_STEP_BUDGET. */
  readonly mcStepBudget?: number;
}

export const DEFAULT_ANALYZE: AnalyzeOptions = Object.freeze({ depth: 'basic', seed: 0, ruinDrawdownPct: -50, mcPaths: 1000 });

/** Everything needed to re-run a stored backtest with the engine (cost sensitivity). */
export interface RerunContext {
  readonly candles: Candles;
  readonly strategy: StrategyDef;
  readonly params: Record<string, unknown>;
  readonly execution: ExecutionSpec;
  /** The stored run's return (fraction), to check the 1× re-run reproduces it. */
  readonly storedReturn: number;
}

/** Evidence a walk-forward run carries in its summary (read defensively). */
export interface WalkForwardEvidence {
  readonly wfe: number | null;
}

export interface SubjectInfo {
  /** 'inline' for outside data. */
  readonly kind: 'backtest' | 'optimize' | 'walk_forward' | 'inline';
  /** The run id asked for (null for inline). */
  readonly run_id: string | null;
  /** The run whose equity curve is analysed (an optimize run's best-trial backtest). */
  readonly analyzed_run_id: string | null;
  readonly strategy: string | null;
  readonly params: Record<string, unknown> | null;
  readonly dataset: { readonly id: number; readonly symbol: string; readonly timeframe: string; readonly content_hash: string; readonly synthetic: boolean } | null;
  readonly profile: string | null;
}

/** One equity curve to analyse, with what the deeper sections need. */
export interface Subject {
  readonly info: SubjectInfo;
  readonly time: Float64Array;
  readonly equity: Float64Array;
  /** Closed trades (open ones are not in trade statistics). */
  readonly trades: readonly Trade[];
  readonly openTrades: number;
  /** False when inline trades came without exit reasons. */
  readonly exitReasonsKnown: boolean;
  readonly warmup: number;
  /** Buy & hold benchmark, aligned with `equity` (null when unknown). */
  readonly close: Float64Array | null;
  readonly riskFree: number;
  /** Trial-ledger family of the analysed curve (null for inline data and walk-forward runs). */
  readonly family: FamilyKey | null;
  /** What the curve is evidence of and on which bars: the DSR's selection set (null for inline data). */
  readonly scope: EvidenceScope | null;
  /** Optimize run whose trials give PBO (the run itself, or a backtest's parent). */
  readonly optimizeRunId: string | null;
  readonly rerun: RerunContext | null;
  readonly walkForward: WalkForwardEvidence | null;
  readonly warnings: string[];
}
