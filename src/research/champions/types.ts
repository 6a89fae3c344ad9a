/**
 * Shared shapes of the champion workflows: the candidate being promoted, its out-of-sample
 * evidence, and the gate report.
 */
import type { ExecutionSpec } from '../../engine/backtest/types.js';
import type { StrategyDef } from '../../engine/strategies/types.js';
import type { ChampionKey, ChampionVersion } from '../../storage/champions.js';
import type { DatasetRow } from '../../storage/datasets.js';
import type { RunRow } from '../../storage/runs.js';
import type { Gates } from '../config.js';

export type { ChampionKey, ChampionVersion };

export const GATE_NAMES = ['oos_evidence', 'min_oos_trades', 'min_dsr', 'max_pbo', 'beats_incumbent'] as const;
export type GateName = (typeof GATE_NAMES)[number];

/** The thresholds a gate report is judged by (config `gates` plus per-call gate_overrides). */
export type Thresholds = Pick<Gates, 'min_oos_trades' | 'min_dsr' | 'max_pbo' | 'max_p_value'>;
export const THRESHOLD_NAMES = ['min_oos_trades', 'min_dsr', 'max_pbo', 'max_p_value'] as const;

export interface CandidateRef {
  readonly run_id: string;
  /** Trial number, for an optimize run. */
  readonly trial?: number;
}

/** A bar span in epoch ms (first and last bar actually used). */
export interface BarSpan {
  readonly first: number;
  readonly last: number;
}

/** What an optimize run's `validated` block says about one trial. */
export interface ValidatedTrial {
  readonly number: number;
  readonly params: Record<string, unknown>;
  readonly passed: boolean;
  readonly holdout_run_id: string | null;
  readonly metrics: Record<string, unknown>;
}

export interface Candidate {
  readonly ref: CandidateRef;
  readonly kind: 'backtest' | 'walk_forward' | 'optimize_trial';
  readonly run: RunRow;
  readonly strategy: StrategyDef;
  readonly params: Record<string, unknown>;
  readonly key: ChampionKey;
  readonly dataset: DatasetRow;
  /** The candidate's own range (resolved), for re-running it when it has no stored result. */
  readonly range: { readonly from: number | null; readonly to: number | null };
  readonly execution: ExecutionSpec;
  /** Bars the params were chosen on; OOS evidence must start after `last`. */
  readonly inSample: BarSpan;
  /** Headline metrics of the candidate's own run (in-sample, or the OOS of a walk-forward). */
  readonly metrics: Record<string, unknown>;
  /** For an optimize trial: its entry in the run's `validated` block (null when there is none). */
  readonly validated: ValidatedTrial | null;
}

/** An equity curve on known bars, with what is needed to re-run another configuration there. */
export interface Series {
  /** 'out_of_sample' for evidence; 'in_sample' for the candidate's own run (no evidence). */
  readonly label: 'out_of_sample' | 'in_sample';
  readonly run_id: string | null;
  readonly dataset: DatasetRow;
  readonly execution: ExecutionSpec;
  /** Bar times of the equity curve. */
  readonly time: Float64Array;
  readonly equity: Float64Array;
  readonly trades: number;
  readonly span: BarSpan;
  /** The curve's segments had indicator warm-up before them (walk-forward windows). */
  readonly warm_context: boolean;
}

/** Out-of-sample evidence: a walk-forward run (stitched OOS equity) or a holdout backtest. */
export interface Evidence extends Series {
  readonly run: RunRow;
  readonly kind: 'walk_forward' | 'holdout_backtest';
  /** How it was found: given as evidence_run_id, the candidate itself, the validated holdout, or a search. */
  readonly found: 'given' | 'candidate' | 'validated_holdout' | 'search';
  readonly metrics: Record<string, unknown>;
}

export interface GateResult {
  readonly gate: GateName;
  readonly status: 'pass' | 'fail' | 'not_applicable';
  readonly value: number | null;
  readonly threshold: number | null;
  readonly detail: string;
  /** Present when the call overrode this gate; `applied` is false when the gate passed anyway. */
  readonly override?: { readonly reason: string; readonly applied: boolean };
  /** Gate-specific numbers (DSR inputs, PBO, bootstrap result, …). */
  readonly data?: Record<string, unknown>;
}

export interface GateReport {
  readonly gates: GateResult[];
  /** Every gate passes, is not applicable, or is overridden. */
  readonly promotable: boolean;
  /** Failing gates that were not overridden. */
  readonly blocking: GateName[];
  readonly thresholds: Thresholds;
}

export interface GateOverride {
  readonly gate: GateName;
  readonly reason: string;
}
