/**
 * The report layer's contract: plain data in (assembled from the store by src/report/model/),
 * Vega-Lite chart specs out (src/report/charts/), rendered three ways from the same spec —
 * interactive in a browser (HTML report, dashboard, MCP App), SVG and PNG in Node
 * (src/report/render.ts). Chart builders are pure: no fs, db, clock or randomness.
 * Times are epoch milliseconds (UTC); percentages are in percent.
 */

/** A Vega-Lite top-level spec (JSON), as vega-lite's `compile` accepts it. */
export type VegaLiteSpec = Record<string, unknown>;

/** One chart of a report: a stable id (for render_chart and tests), a title, a one-line caption, the spec. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** One line saying what is drawn and how it was reduced for display (e.g. "2,000 of 1,000,000 bars, min/max per bucket"). */
  readonly caption: string;
  readonly spec: VegaLiteSpec;
}

/** A report: what a run is, its key figures and warnings, and its charts. */
export interface ReportModel {
  readonly kind: 'backtest' | 'optimize' | 'walk_forward' | 'batch' | 'analysis' | 'champion';
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  readonly status: string;
  /** Key figures in display order (numbers are formatted by the renderer). */
  readonly metrics: readonly { readonly label: string; readonly value: number | string | null }[];
  readonly warnings: readonly string[];
  readonly charts: readonly ChartSpec[];
}

// ---------------------------------------------------------------- backtest

export interface BacktestChartInput {
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  /** Equity per bar (same length as time). */
  readonly equity: Float64Array;
  /** Closed trades (never dropped for display). */
  readonly trades: readonly {
    readonly direction: 'long' | 'short';
    readonly entry_time: number;
    readonly entry_price: number;
    readonly exit_time: number;
    readonly exit_price: number;
    readonly return_pct: number;
    readonly exit_reason: string;
  }[];
  /** Trades still open at the end (entry only). */
  readonly open_trades: readonly { readonly direction: 'long' | 'short'; readonly entry_time: number; readonly entry_price: number }[];
}

// ---------------------------------------------------------------- optimize

export interface TrialPoint {
  readonly number: number;
  readonly state: 'COMPLETE' | 'PRUNED' | 'FAIL' | 'RUNNING' | 'WAITING';
  /** Objective values (null when pruned without a value, failed or running). */
  readonly values: readonly (number | null)[] | null;
  /** Flattened params (dotted paths → value). */
  readonly params: Readonly<Record<string, number | string | boolean | null>>;
  /** Intermediate values reported for pruning: step → value. */
  readonly intermediate?: readonly { readonly step: number; readonly value: number }[];
}

export interface OptimizeChartInput {
  readonly objectives: readonly { readonly metric: string; readonly direction: 'maximize' | 'minimize' }[];
  readonly trials: readonly TrialPoint[];
  /** fANOVA-style parameter importances (sum 1), or null when not computed. */
  readonly importance: Readonly<Record<string, number>> | null;
  /** Trial numbers on the Pareto front (several objectives). */
  readonly pareto: readonly number[];
}

// ---------------------------------------------------------------- walk-forward

export interface WalkForwardChartInput {
  /** Stitched out-of-sample equity. */
  readonly time: Float64Array;
  readonly equity: Float64Array;
  readonly windows: readonly {
    readonly index: number;
    readonly is_from: number;
    readonly is_to: number;
    readonly oos_from: number;
    readonly oos_to: number;
    readonly is_sharpe: number | null;
    readonly oos_sharpe: number | null;
    /** Flattened params chosen in-sample. */
    readonly params: Readonly<Record<string, number | string | boolean | null>>;
  }[];
}

// ---------------------------------------------------------------- batch

export interface BatchChartInput {
  readonly metric: string;
  /** One cell per item: a row label (symbol timeframe) × a column label (param set or strategy+params). */
  readonly cells: readonly { readonly row: string; readonly column: string; readonly value: number | null; readonly status: string }[];
}

// ---------------------------------------------------------------- analysis (deep)

export interface AnalysisChartInput {
  /** Monte Carlo equity fan: percentiles per step (as fractions of the start, 1 = start). */
  readonly fan: { readonly step: readonly number[]; readonly p5: readonly number[]; readonly p25: readonly number[]; readonly p50: readonly number[]; readonly p75: readonly number[]; readonly p95: readonly number[] } | null;
  /** Simulated max drawdowns, percent (negative). */
  readonly drawdowns: readonly number[] | null;
  /** Monthly returns, percent. */
  readonly monthly: readonly { readonly year: number; readonly month: number; readonly return_pct: number }[] | null;
  /** Cost sensitivity: cost (bps per side) → metric, and the break-even cost when found. */
  readonly costs: { readonly metric: string; readonly points: readonly { readonly cost_bps: number; readonly value: number | null }[]; readonly break_even_bps: number | null } | null;
  /** DSR/PBO summary: each statistic with its value and its threshold. */
  readonly significance: readonly { readonly label: string; readonly value: number | null; readonly threshold: number | null }[] | null;
}

// ---------------------------------------------------------------- champions

export interface ChampionChartInput {
  readonly versions: readonly { readonly version: number; readonly promoted_at: number; readonly action: string; readonly reason: string; readonly metric: number | null }[];
  readonly metric: string;
}
