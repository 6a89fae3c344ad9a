/**
 * Output schemas of research evidence: verdicts and their reasons, the DSR detail, PBO and
 * the champion gates. The statistics are still evolving, so the deep sections type the key
 * figures that exist now and let any other key through.
 */
import { z } from 'zod';
import { GATE_NAMES } from '../../research/champions/types.js';
import { EVIDENCE_KINDS } from '../../research/selection.js';
import { num } from './common.js';

export const VERDICTS = ['promote-able', 'caution', 'reject'] as const;
export const verdictName = z.enum(VERDICTS);

/** One machine-readable reason of a verdict (`code` such as dsr_reject, trades_missing). */
export const verdictReason = z.looseObject({ code: z.string(), level: z.enum(['pass', 'caution', 'reject']), message: z.string(), value: num, threshold: num });

/** The verdict block that ends an analysis. */
export const verdictBlock = z.looseObject({ verdict: verdictName, reasons: z.array(verdictReason) });

/**
 * The key figures of a DSR (`dsrDetail()` in research/selection.ts): the DSR, which
 * variant was used, the kind of evidence, N and where it came from, V and SR₀. The rest
 * (sr_per_period, periods, psr0, no_skill, cross_sectional, effective_n_heuristic,
 * selection, …) passes through as it evolves.
 */
const dsrFigures = { dsr: num, used: z.string(), evidence: z.enum(EVIDENCE_KINDS), n: z.number(), n_source: z.string(), v: num, sr0: num };
export const dsrDetail = z.looseObject(dsrFigures);

/** PBO of an optimisation (CSCV): the probability; its sample and the rest pass through. */
export const pboDetail = z.looseObject({ pbo: num });

/**
 * One gate of a champion gate report. `data` holds the gate's numbers: for min_dsr the DSR
 * figures above (with `days` and `data`: out_of_sample or in_sample); for the others the
 * evidence run, the PBO sample or the bootstrap result (free-form).
 */
export const gateResult = z
  .looseObject({
    gate: z.enum(GATE_NAMES),
    status: z.enum(['pass', 'fail', 'not_applicable']),
    value: num,
    threshold: num,
    override: z.looseObject({ reason: z.string(), applied: z.boolean() }).optional(),
    data: z.looseObject(z.looseObject(dsrFigures).partial().shape).optional(),
  })
  .meta({ id: 'gate' });

export const gateNames = z.array(z.enum(GATE_NAMES));
