/** Output schema of check_bias. */
import { z } from 'zod';
import { BIAS_VERDICTS } from '../../engine/validation/bias.js';
import { anyObject } from './common.js';

/** The verdict and the three parts (first offense, look-ahead, warm-up), their detail passing through. */
export const checkBiasOutput = z.looseObject({
  verdict: z.enum(BIAS_VERDICTS),
  first_offense: anyObject.nullable(),
  lookahead: anyObject,
  warmup: anyObject,
});
