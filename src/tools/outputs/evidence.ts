/**
 * Output schemas of research evidence: verdicts and their reasons, the DSR detail, PBO and
 * the champion gates. The statistics are still evolving, so the schemas type the headline
 * figures and let every other key through.
 */
import { z } from 'zod';
import { GATE_NAMES } from '../../research/champions/types.js';
import { anyObject, num } from './common.js';

export const VERDICTS = ['promote-able', 'caution', 'reject'] as const;
export const verdictName = z.enum(VERDICTS);

/**
 * The verdict block that ends an analysis: the verdict and its machine-readable reasons
 * (`code` such as dsr_reject or trades_missing, `level`; also `message`, `value`, `threshold`).
 */
export const verdictBlock = z.looseObject({ verdict: verdictName, reasons: z.array(z.looseObject({ code: z.string(), level: z.enum(['pass', 'caution', 'reject']) })) });

/**
 * A DSR (`dsrDetail()` in research/selection.ts): the DSR itself; which variant was used,
 * the kind of evidence, N and where it came from, V, SR₀ and the rest pass through.
 */
export const dsrDetail = z.looseObject({ dsr: num });

/** PBO of an optimisation (CSCV): the probability; its sample and the rest pass through. */
export const pboDetail = z.looseObject({ pbo: num });

/**
 * One gate of a champion gate report: which gate and how it went; `value`, `threshold`, an
 * `override` and the gate's `data` (for min_dsr the DSR figures) pass through.
 */
export const gateResult = z.looseObject({ gate: z.enum(GATE_NAMES), status: z.enum(['pass', 'fail', 'not_applicable']), data: anyObject.optional() });

export const gateNames = z.array(z.enum(GATE_NAMES));
