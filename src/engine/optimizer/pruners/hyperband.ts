/**
 * Hyperband (Li et al. 2018) as Optuna's HyperbandPruner runs it: R = max_resource
 * ('auto' = the longest COMPLETE trial's last step + 1), r = min_resource, η =
 * reduction_factor; S = ⌊log_η(R / r)⌋ + 1 brackets; bracket b is asynchronous successive
 * halving whose first rung is at r·η^b; a trial's bracket comes from crc32("<study>_<number>")
 * modulo the total budget Σ ⌈S·η^s/(s+1)⌉ (s = S − 1 − b), so it is deterministic.
 * At rung k (promotion step r·η^(b+k)) a trial goes on iff its value is in the top
 * max(1, ⌊N/η⌋) of the N trials of its bracket that reached that rung (itself included).
 *
 * Optuna records each trial's rung values as system attributes while it runs. Here they are
 * derived from the trials' intermediate values (the value at the first reported step at or
 * after the promotion step), so the decision is a pure function of a history snapshot.
 */
import { lastStep, type FrozenTrial, type StudyHistory } from '../trial.js';
import type { Pruner } from './types.js';

export interface HyperbandPrunerConfig {
  readonly type: 'hyperband';
  readonly min_resource?: number;
  readonly max_resource?: number | 'auto';
  readonly reduction_factor?: number;
  readonly bootstrap_count?: number;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE, as zlib / Python's binascii.crc32) of a string's UTF-8 bytes. */
export function crc32(text: string): number {
  let c = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface HyperbandLayout {
  readonly maxResource: number;
  readonly nBrackets: number;
  readonly budgets: readonly number[];
  readonly total: number;
}

/** Brackets and their trial budgets for a max resource (Optuna's formulas, same float steps). */
export function hyperbandLayout(maxResource: number, minResource: number, eta: number): HyperbandLayout {
  const nBrackets = Math.floor(Math.log(maxResource / minResource) / Math.log(eta)) + 1;
  const budgets: number[] = [];
  for (let b = 0; b < nBrackets; b++) {
    const s = nBrackets - 1 - b;
    budgets.push(Math.ceil((nBrackets * eta ** s) / (s + 1)));
  }
  return { maxResource, nBrackets, budgets, total: budgets.reduce((a, x) => a + x, 0) };
}

export function bracketOf(layout: HyperbandLayout, studyName: string, trialNumber: number): number {
  let n = crc32(`${studyName}_${trialNumber}`) % layout.total;
  for (let b = 0; b < layout.nBrackets; b++) {
    n -= layout.budgets[b];
    if (n < 0) return b;
  }
  return layout.nBrackets - 1;
}

/** The first reported step >= s, or null. */
function firstStepAtOrAfter(t: FrozenTrial, s: number): number | null {
  let best: number | null = null;
  for (const step of t.intermediate_values.keys()) if (step >= s && (best === null || step < best)) best = step;
  return best;
}

export function createHyperbandPruner(config: Partial<HyperbandPrunerConfig> = {}): Pruner {
  const r = config.min_resource ?? 1;
  const eta = config.reduction_factor ?? 3;
  const maxRes = config.max_resource ?? 'auto';
  const bootstrap = config.bootstrap_count ?? 0;
  if (!(Number.isInteger(r) && r >= 1)) throw new RangeError(`pruner.min_resource must be an integer >= 1, got ${r}`);
  if (!(Number.isInteger(eta) && eta >= 2)) throw new RangeError(`pruner.reduction_factor must be an integer >= 2, got ${eta}`);
  if (maxRes !== 'auto' && !(Number.isInteger(maxRes) && maxRes >= r)) throw new RangeError(`pruner.max_resource must be 'auto' or an integer >= min_resource, got ${maxRes}`);
  if (!(Number.isInteger(bootstrap) && bootstrap >= 0)) throw new RangeError(`pruner.bootstrap_count must be an integer >= 0, got ${bootstrap}`);

  function layoutFor(history: StudyHistory): HyperbandLayout | null {
    if (maxRes !== 'auto') return hyperbandLayout(maxRes, r, eta);
    let longest = -1;
    for (const t of history.trials) {
      if (t.state !== 'COMPLETE') continue;
      const s = lastStep(t);
      if (s !== null && s > longest) longest = s;
    }
    return longest < 0 ? null : hyperbandLayout(longest + 1, r, eta);
  }

  /** Value of another trial at rung k of its bracket, or null if it never got there. */
  function rungValue(t: FrozenTrial, promo: number, promoPrev: number | null): number | null {
    const s = firstStepAtOrAfter(t, promo);
    if (s === null) return null;
    if (t.state === 'PRUNED' && s === lastStep(t) && promoPrev !== null) {
      // Pruned at its last step: it only recorded the lowest rung newly reached at that step.
      const sPrev = firstStepAtOrAfter(t, promoPrev);
      if (sPrev === s) return null;
    }
    return t.intermediate_values.get(s) ?? null;
  }

  return {
    name: 'hyperband',
    shouldPrune(trial: FrozenTrial, history: StudyHistory): boolean {
      const layout = layoutFor(history);
      if (layout === null) return false;
      const step = lastStep(trial);
      if (step === null) return false;
      const value = trial.intermediate_values.get(step) as number;
      const b = bracketOf(layout, history.study_name, trial.number);
      const peers = history.trials.filter((t) => t.number !== trial.number && bracketOf(layout, history.study_name, t.number) === b);
      const maximize = history.directions[0] === 'maximize';
      const promoAt = (k: number): number => r * eta ** (b + k);
      // Rungs passed at earlier reports were promotions (otherwise the trial would have stopped).
      let rung = 0;
      for (;;) {
        const s = firstStepAtOrAfter(trial, promoAt(rung));
        if (s === null || s >= step) break;
        rung++;
      }
      for (;;) {
        const promo = promoAt(rung);
        if (step < promo) return false;
        if (Number.isNaN(value)) return true;
        const competing: number[] = [value];
        for (const t of peers) {
          const v = rungValue(t, promo, rung > 0 ? promoAt(rung - 1) : null);
          if (v !== null) competing.push(v);
        }
        if (competing.length <= bootstrap) return true;
        competing.sort((a, c) => a - c);
        let idx = Math.floor(competing.length / eta) - 1;
        if (idx < 0) idx = 0;
        const promotable = maximize ? value >= competing[competing.length - 1 - idx] : value <= competing[idx];
        if (!promotable) return true;
        rung++;
      }
    },
  };
}
