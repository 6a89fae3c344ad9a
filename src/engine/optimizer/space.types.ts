/** One parameter of a search space (OPTIMIZER.md). `low`/`high` are inclusive. */
export type ParamSpec =
  | { readonly type: 'float'; readonly low: number; readonly high: number; readonly step?: number; readonly log?: boolean }
  | { readonly type: 'int'; readonly low: number; readonly high: number; readonly step?: number; readonly log?: boolean }
  | { readonly type: 'categorical'; readonly choices: readonly (string | number | boolean | null)[] };

/** Dotted parameter path (e.g. `thresholds.entry_conf_overall`, `risk_map.1.1`) to its spec. */
export type SearchSpace = Readonly<Record<string, ParamSpec>>;

export type ParamValue = string | number | boolean | null;
export type FlatParams = Record<string, ParamValue>;
