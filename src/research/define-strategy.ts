/**
 * Defining a strategy in the strategy language (define_strategy, `tradelab strategy import`):
 * the YAML/JSON text or object is compiled (every error with its line, column and token),
 * checked for look-ahead and warm-up on the demo data (or the first stored dataset), then
 * stored as a new version of its name unless it is a dry run. A look-ahead finding refuses
 * the definition; an unstable warm-up is a warning (EMA/RSI-based strategies have one).
 */
import { compileStrategy, parseStrategyText } from '../engine/strategies/lang/index.js';
import { hasStrategy } from '../engine/strategies/registry.js';
import { listDatasets } from '../storage/datasets.js';
import { insertDefinition } from '../storage/strategy-definitions.js';
import type { App } from './app.js';
import { checkBias, type BiasCheckResult } from './bias.js';
import { datasetCandles } from './datasets.js';
import { UserError } from './errors.js';
import { StrategyDefinitionError, resolveStrategy } from './strategies.js';

export interface DefineRequest {
  /** The document: YAML or JSON text, or an already parsed object. */
  readonly definition: string | Record<string, unknown>;
  readonly dry_run?: boolean;
  readonly by?: string;
  /** Skip the bias check (tests, imports of many files); the result says so. */
  readonly skip_bias?: boolean;
}

export interface DefineResult {
  readonly name: string;
  readonly version: number | null;
  readonly hash: string;
  readonly created: boolean;
  readonly dry_run: boolean;
  readonly stored: boolean;
  readonly params: Record<string, unknown>;
  readonly default_space: Record<string, unknown>;
  readonly warmup: number;
  readonly bias: { readonly verdict: string; readonly dataset: string; readonly first_offense: unknown; readonly warmup_needed: unknown } | null;
  readonly warnings: string[];
}

/** At most this many bars of the demo data go into the bias check (it runs the strategy ~30 times). */
const BIAS_BARS = 20_000;

function biasOn(app: App, def: ReturnType<typeof resolveStrategy>, params: Record<string, unknown>): { result: BiasCheckResult; label: string } | null {
  const all = listDatasets(app.db);
  const ds = all.find((d) => d.symbol === app.config.demo.symbol && d.timeframe === app.config.demo.timeframe) ?? all[0];
  if (!ds) return null;
  const full = datasetCandles(app, ds);
  const n = full.time.length;
  const from = Math.max(0, n - BIAS_BARS);
  const candles = from === 0 ? full : { ...full, time: full.time.subarray(from), open: full.open.subarray(from), high: full.high.subarray(from), low: full.low.subarray(from), close: full.close.subarray(from), volume: full.volume.subarray(from) };
  return { result: checkBias(app, { strategy: def, params, candles }), label: `${ds.symbol} ${ds.timeframe} (dataset #${ds.id}${ds.is_synthetic ? ', synthetic' : ''}, last ${candles.time.length} bars)` };
}

export function defineStrategy(app: App, req: DefineRequest): DefineResult {
  const field = 'definition';
  let doc: unknown = req.definition;
  if (typeof req.definition === 'string') {
    const parsed = parseStrategyText(req.definition);
    if (!parsed.ok) throw new StrategyDefinitionError(parsed.errors, field);
    doc = parsed.doc;
  }
  const r = compileStrategy(doc);
  if (!r.ok) throw new StrategyDefinitionError(r.errors, field);
  const name = r.def.name;
  if (hasStrategy(name)) {
    throw new UserError(`"${name}" is a built-in strategy's name`, { field: `${field}.name`, value: name, expected: 'another name (a built-in cannot be redefined)', hint: `e.g. "${name}_v2" or "my_${name}"` });
  }
  const canonical = JSON.stringify(r.canonical);
  const warnings = [...r.warnings];
  const params = r.def.params.parse({}) as Record<string, unknown>;
  let bias: DefineResult['bias'] = null;
  if (!req.skip_bias) {
    const b = biasOn(app, r.def as never, params);
    if (!b) warnings.push('no dataset is stored, so the look-ahead and warm-up checks did not run (check_bias runs them on demand)');
    else {
      const res = b.result;
      bias = { verdict: res.verdict, dataset: b.label, first_offense: res.first_offense, warmup_needed: (res.warmup as { needed?: unknown }).needed ?? null };
      if (res.verdict === 'lookahead' || res.verdict === 'lookahead_and_warmup_unstable') {
        const f = res.first_offense;
        throw new UserError(`strategy "${name}" looks ahead: ${f ? `at bar ${f.bar}${f.time ? ` (${f.time})` : ''}, ${f.output}${f.rule ? ` of ${f.rule}` : ''} changed when bars after the cut were altered` : 'a decision changed when later bars were altered'}; it was not stored`, {
          field,
          hint: 'a decision at bar t may only use bars ≤ t; check_bias with this definition inline shows every finding',
        });
      }
      if (res.verdict === 'warmup_unstable') warnings.push(`warm-up: decisions still depend on where the data starts after the declared warm-up (${String(bias.warmup_needed)} bars needed on ${b.label}); recursive indicators (ema, rsi, atr, adx) remember their start for a while`);
      if (res.verdict === 'inconclusive') warnings.push(`the bias check was inconclusive on ${b.label}: ${res.notes.join('; ')}`);
    }
  } else warnings.push('the look-ahead and warm-up checks were skipped');
  const dry = req.dry_run ?? false;
  let version: number | null = null;
  let created = false;
  if (!dry) {
    const stored = insertDefinition(app.db, { name, hash: r.hash, document: canonical, source: typeof req.definition === 'string' ? req.definition : null, now: app.now(), by: req.by ?? null });
    version = stored.row.version;
    created = stored.created;
    if (!created) warnings.push(`the same document is already stored as version ${version} of "${name}"`);
  }
  // a stored one resolves like any later use by name (and registers its definition)
  const def = dry ? r.def : resolveStrategy(name, app.db);
  return {
    name,
    version,
    hash: r.hash,
    created,
    dry_run: dry,
    stored: !dry,
    params,
    default_space: r.def.defaultSpace as Record<string, unknown>,
    warmup: def.warmup(params as never),
    bias,
    warnings,
  };
}
