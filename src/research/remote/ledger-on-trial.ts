/**
 * Every trial counts in the server's trial ledger, wherever it ran. A remote worker's
 * objective records no ledger entry of its own (its store is scratch): the entry travels on
 * the trial, as its user attribute `ledger` (params, outcome, the return statistics the
 * deflated Sharpe ratio and PBO use), and the server that follows the study (optimize with
 * n_workers: "external") records it in its ledger under the run, as if the trial had run
 * there.
 */
import { TrialFailed, type Objective, type ObjectiveOutcome } from '../../engine/optimizer/optimize.js';
import type { AttrValue, FrozenTrial } from '../../engine/optimizer/trial.js';
import type { App } from '../app.js';
import { familyKey, recordLedger, trialSourceId } from '../ledger.js';
import type { LedgerSink, TrialLedgerEntry } from '../optimize/objective.js';
import type { ResolvedTask } from '../optimize/resolve.js';
import { storedAttrs } from '../../storage/optuna-model.js';

/** The trial user attribute holding its ledger entry. */
export const LEDGER_ATTR = 'ledger';


/**
 * The objective `make(sink)` builds, with each trial's ledger entry moved onto the trial: its
 * own writes (the local result cache) run at once, and the entry the sink caught becomes the
 * trial's `ledger` user attribute (a FAIL trial that ran its backtest keeps one too).
 */
export function ledgerOnTrial(make: (sink: LedgerSink) => Objective): Objective {
  const caught = new Map<number, TrialLedgerEntry>();
  const objective = make((n, e) => caught.set(n, e));
  const take = (n: number): Record<string, AttrValue> => {
    const e = caught.get(n);
    caught.delete(n);
    return e ? storedAttrs({ [LEDGER_ATTR]: e as unknown as AttrValue }) : {};
  };
  return async (params, ctx) => {
    try {
      const out = (await objective(params, ctx)) as ObjectiveOutcome;
      out.alongside?.();
      return { ...out, alongside: undefined, user_attrs: { ...(out.user_attrs ?? {}), ...take(ctx.number) } };
    } catch (e) {
      if (e instanceof TrialFailed) throw new TrialFailed(e.message, { ...e.user_attrs, ...take(ctx.number) });
      caught.delete(ctx.number);
      throw e;
    }
  };
}

/** Records a finished trial's travelling ledger entry in this server's ledger (none: nothing). */
export function recordTrialLedger(app: App, r: ResolvedTask, runId: string, t: FrozenTrial): boolean {
  const e = t.user_attrs[LEDGER_ATTR] as unknown as TrialLedgerEntry | undefined;
  if (!e || typeof e !== 'object') return false;
  recordLedger(app, { key: familyKey(r.strategy, r.dataset.content_hash, r.candles), source_kind: 'trial', source_id: trialSourceId(runId, t.number), params: e.params, outcome: e.outcome, stats: e.stats });
  return true;
}
