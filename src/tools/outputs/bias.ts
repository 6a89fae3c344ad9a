/** Output schema of check_bias. */
import { z } from 'zod';
import { BIAS_VERDICTS } from '../../engine/validation/bias.js';
import { count } from './common.js';

const status = z.enum(['passed', 'failed', 'skipped']);

/** The stable figures only (tools/list stays small): the full report is in the result. */
export const checkBiasOutput = z.looseObject({
  verdict: z.enum(BIAS_VERDICTS),
  first_offense: z.looseObject({ bar: count, rule: z.string() }).nullable(),
  lookahead: z.looseObject({ status }),
  warmup: z.looseObject({ status, needed: count }),
});
