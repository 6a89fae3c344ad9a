/**
 * A research verdict from validation evidence, with machine-readable reasons an agent can act
 * on ("DSR 0.62 with N = 340", "only 23 trades", "PBO 0.48").
 *
 * Every check yields one reason with level 'pass', 'caution' or 'reject'; the verdict is
 * 'reject' if any check rejects, else 'caution' if any check cautions, else 'promote-able'.
 * Missing evidence (null/undefined DSR, PBO, PSR, trades) is a caution by default: a
 * strategy cannot be promoted on evidence that was never computed. WFE is only checked
 * when given. Thresholds (all overridable):
 *
 * | check  | reject when         | caution when         |
 * |--------|---------------------|----------------------|
 * | trades | < 10                | < 30                 |
 * | DSR    | < 0.5               | < 0.95               |
 * | PBO    | > 0.5 (*)           | > 0.2                |
 * | PSR    | —                   | < 0.95               |
 * | WFE    | —                   | < 0.5 (if given)     |
 *
 * (*) a caution instead when the in-sample best still loses out of sample in at most half
 * of the CSCV splits (`pboOosLoss` ≤ 0.5): the selection is overfit, the edge is not.
 */
export interface VerdictThresholds {
  readonly rejectMinTrades: number;
  readonly cautionMinTrades: number;
  readonly rejectMinDsr: number;
  readonly cautionMinDsr: number;
  readonly rejectMaxPbo: number;
  readonly cautionMaxPbo: number;
  readonly cautionMinPsr: number;
  readonly cautionMinWfe: number;
  /** Missing DSR/PBO/PSR/trades count as a caution (default true). */
  readonly missingIsCaution: boolean;
}

export const DEFAULT_VERDICT_THRESHOLDS: VerdictThresholds = Object.freeze({
  rejectMinTrades: 10,
  cautionMinTrades: 30,
  rejectMinDsr: 0.5,
  cautionMinDsr: 0.95,
  rejectMaxPbo: 0.5,
  cautionMaxPbo: 0.2,
  cautionMinPsr: 0.95,
  cautionMinWfe: 0.5,
  missingIsCaution: true,
});

export interface VerdictEvidence {
  readonly trades?: number | null;
  /** Deflated Sharpe ratio (probability) and the N it was deflated with. */
  readonly dsr?: { readonly value: number; readonly n: number; readonly nSource?: string } | null;
  readonly pbo?: number | null;
  /**
   * Share of CSCV splits whose in-sample best LOSES out of sample (PBO's companion figure).
   * With PBO above the reject level but this at most 0.5, selection among the configurations
   * adds nothing out of sample, yet the selected one stays profitable there (every
   * configuration shares one edge): a caution, not a reject.
   */
  readonly pboOosLoss?: number | null;
  readonly psr?: number | null;
  readonly wfe?: number | null;
}

export type VerdictLevel = 'pass' | 'caution' | 'reject';

export interface VerdictReason {
  readonly code: string;
  readonly level: VerdictLevel;
  readonly message: string;
  readonly value: number | null;
  /** The threshold that decided the level (null for missing evidence). */
  readonly threshold: number | null;
}

export interface Verdict {
  readonly verdict: 'promote-able' | 'caution' | 'reject';
  readonly reasons: VerdictReason[];
  readonly thresholds: VerdictThresholds;
}

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(Math.abs(x) >= 10 ? 1 : 2));

type Check = { code: string; name: string; value: number | null | undefined; label: (v: number) => string; reject?: (v: number) => number | null; caution: (v: number) => number | null };

function evaluate(c: Check, missingIsCaution: boolean): VerdictReason {
  if (c.value === null || c.value === undefined || !Number.isFinite(c.value)) {
    const level: VerdictLevel = missingIsCaution ? 'caution' : 'pass';
    return { code: `${c.code}_missing`, level, message: `${c.name} not available`, value: null, threshold: null };
  }
  const v = c.value;
  const rej = c.reject?.(v) ?? null;
  if (rej !== null) return { code: `${c.code}_reject`, level: 'reject', message: c.label(v), value: v, threshold: rej };
  const cau = c.caution(v);
  if (cau !== null) return { code: `${c.code}_caution`, level: 'caution', message: c.label(v), value: v, threshold: cau };
  return { code: `${c.code}_ok`, level: 'pass', message: c.label(v), value: v, threshold: null };
}

export function verdict(evidence: VerdictEvidence, overrides: Partial<VerdictThresholds> = {}): Verdict {
  const t: VerdictThresholds = { ...DEFAULT_VERDICT_THRESHOLDS, ...overrides };
  const below = (limit: number) => (v: number) => (v < limit ? limit : null);
  const above = (limit: number) => (v: number) => (v > limit ? limit : null);
  const dsr = evidence.dsr ?? null;
  const loss = evidence.pboOosLoss;
  const sharedEdge = loss !== null && loss !== undefined && Number.isFinite(loss) && loss <= 0.5;
  const checks: Check[] = [
    {
      code: 'trades',
      name: 'trade count',
      value: evidence.trades,
      label: (v) => (v < t.cautionMinTrades ? `only ${v} trades` : `${v} trades`),
      reject: below(t.rejectMinTrades),
      caution: below(t.cautionMinTrades),
    },
    {
      code: 'dsr',
      name: 'DSR',
      value: dsr?.value,
      label: (v) => `DSR ${fmt(v)} with N = ${fmt(dsr?.n ?? 1)}${dsr?.nSource ? ` (${dsr.nSource})` : ''}`,
      reject: below(t.rejectMinDsr),
      caution: below(t.cautionMinDsr),
    },
    {
      code: 'pbo',
      name: 'PBO',
      value: evidence.pbo,
      label: (v) =>
        v > t.rejectMaxPbo && sharedEdge
          ? `PBO ${fmt(v)}: picking the in-sample best adds nothing out of sample, but it stays profitable there in ${Math.round(100 * (1 - (evidence.pboOosLoss as number)))} % of splits (the configurations share one edge)`
          : `PBO ${fmt(v)}`,
      reject: (v) => (v > t.rejectMaxPbo && !sharedEdge ? t.rejectMaxPbo : null),
      caution: above(t.cautionMaxPbo),
    },
    { code: 'psr', name: 'PSR', value: evidence.psr, label: (v) => `PSR(0) ${fmt(v)}`, caution: below(t.cautionMinPsr) },
  ];
  const reasons = checks.map((c) => evaluate(c, t.missingIsCaution));
  if (evidence.wfe !== undefined && evidence.wfe !== null) {
    reasons.push(evaluate({ code: 'wfe', name: 'WFE', value: evidence.wfe, label: (v) => `walk-forward efficiency ${fmt(v)}`, caution: below(t.cautionMinWfe) }, false));
  }
  const level = reasons.some((r) => r.level === 'reject') ? 'reject' : reasons.some((r) => r.level === 'caution') ? 'caution' : 'promote-able';
  return { verdict: level, reasons, thresholds: t };
}
